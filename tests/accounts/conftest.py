import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate-limit counters in the cache; start and end every test with none."""
    cache.clear()
    yield
    cache.clear()
