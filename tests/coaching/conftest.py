import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file


@pytest.fixture
def make_photo(db):
    def make(title="Coach photo"):
        return get_image_model().objects.create(title=title, file=get_test_image_file())

    return make


@pytest.fixture
def rendered_templates():
    """Names of the templates rendered during the test (the Buy include, for instance)."""
    from django.test.signals import template_rendered

    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)
