import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file


@pytest.fixture
def make_photo(db):
    def make(title="Coach photo"):
        return get_image_model().objects.create(title=title, file=get_test_image_file())

    return make
