from pathlib import Path

import pytest
from django.core.management import call_command

# Left out of the dump `migrated_rows` reloads: what post_migrate rebuilds after every flush
# (content types, permissions) and what no migration writes.
NOT_MIGRATED_ROWS = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


@pytest.fixture(autouse=True)
def _media_and_email(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the navigation, footer and pages cached by one test
    were rendered from rows its rollback removed (site/page_cache.py)."""
    from django.core.cache import cache

    cache.clear()


def _migrated_rows_file(tmp_path_factory) -> Path:
    return tmp_path_factory.getbasetemp() / "migrated-rows.json"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request, tmp_path_factory):
    """pytest-django's test database; when a collected test uses `migrated_rows`, the rows the
    migrations wrote (Wagtail's root page, default Site and root collection, the Editors and
    Moderators groups) are dumped now, before any transactional test's flush deletes them."""
    if any("migrated_rows" in getattr(item, "fixturenames", ()) for item in request.session.items):
        with django_db_blocker.unblock():
            call_command(
                "dumpdata",
                exclude=NOT_MIGRATED_ROWS,
                natural_foreign=True,
                output=str(_migrated_rows_file(tmp_path_factory)),
                verbosity=0,
            )


@pytest.fixture
def migrated_rows(transactional_db, tmp_path_factory):
    """Put back the rows the migrations wrote, for a transactional test: the flush after each
    such test deletes them (post_migrate rebuilds only content types and permissions)."""
    call_command("loaddata", str(_migrated_rows_file(tmp_path_factory)), verbosity=0)
