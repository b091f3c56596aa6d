"""Journey 5: an editor writes a guidance page with a package block and publishes it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_publishes_a_guidance_page_with_a_package_block(page, demo):
    from wagtail.models import Page

    section = Page.objects.get(slug="ontario-img")
    log_in(page, "editor@example.com", next_path="/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Pages → the Ontario section → Add child page → Guidance page
    page.goto(f"/admin/pages/{section.pk}/")
    page.get_by_role("link", name=re.compile("Add child page")).first.click()
    if "/add/cms/guidancepage/" not in page.url:  # only one child type: Wagtail skips the choice
        page.get_by_role("link", name=re.compile("Guidance page", re.I)).first.click()
    page.get_by_label(re.compile(r"^Title")).fill("Preparing for the MCCQE Part I")
    page.get_by_label(re.compile(r"^Summary")).fill(
        "How IMGs plan their study for the qualifying exam, and where coaching helps."
    )

    # Body: add a Package block and choose "Interview Ready" in the chooser
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Package").click()
    page.get_by_role("button", name=re.compile("Choose (a )?package", re.I)).click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name="Interview Ready").click()
    expect(modal).to_be_hidden()

    page.get_by_role("button", name="More actions").click()  # the publish menu
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")

    published = Page.objects.get(slug="preparing-for-the-mccqe-part-i")
    assert published.live
    page.goto(published.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing for the MCCQE Part I")
    card = page.locator(".package-block")
    expect(card.get_by_role("heading", name="Interview Ready")).to_be_visible()
