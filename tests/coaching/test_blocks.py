import pytest
from django.test import RequestFactory

from coaching.blocks import PackageBlock
from tests.coaching.factories import PackageFactory

pytestmark = pytest.mark.django_db


def test_package_block_renders_the_chosen_packages_card(rendered_templates):
    package = PackageFactory(name="CASPer Ready", price_cents=34500, popular=True)

    html = PackageBlock().render(package)

    assert "CASPer Ready" in html
    assert "CA$345.00" in html
    assert "Most popular" in html
    assert "coaching/includes/package_card.html" in rendered_templates
    assert "coaching/includes/buy_button.html" in rendered_templates


def test_package_block_value_is_stored_as_the_package_id():
    package = PackageFactory()
    block = PackageBlock()
    assert block.get_prep_value(package) == package.pk
    assert block.to_python(package.pk) == package


def test_package_block_shows_the_current_price_not_a_copy():
    package = PackageFactory(price_cents=34500)
    block = PackageBlock()
    value = block.to_python(package.pk)
    package.price_cents = 39900
    package.save()
    assert "CA$399.00" in block.render(block.to_python(package.pk))
    assert value.pk == package.pk


def test_package_block_renders_nothing_for_an_inactive_package():
    package = PackageFactory(name="Retired", inactive=True)
    assert PackageBlock().render(package).strip() == ""


def test_package_block_renders_nothing_for_a_deleted_package():
    block = PackageBlock()
    assert block.to_python(987654) is None
    assert block.render(None).strip() == ""


def test_package_block_tells_editors_in_preview_why_nothing_shows():
    package = PackageFactory(inactive=True)
    request = RequestFactory().get("/")
    request.is_preview = True
    html = PackageBlock().render(package, context={"request": request})
    assert "not on sale" in html
    assert "Retired" not in html


def test_package_block_uses_the_snippet_chooser_in_the_admin(client):
    from django.urls import reverse
    from wagtail.snippets.widgets import AdminSnippetChooser

    reverse("wagtailadmin_home")  # admin viewsets (and snippet registration) load with the URLs
    assert isinstance(PackageBlock().widget, AdminSnippetChooser)
