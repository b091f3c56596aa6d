"""Journey 5: an editor writes a guidance page with a package block and publishes it."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, log_in

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


def test_editor_schedules_a_page_in_their_own_zone_and_it_goes_live(page, demo):
    """The demo editor is in Toronto: the go-live typed there is Toronto time, the page waits,
    and the scheduled-publishing job makes it live for visitors."""
    from datetime import UTC, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone
    from wagtail.models import Page

    from medpath.cms.tasks import publish_scheduled_pages
    from tests.cms.factories import GuidancePageFactory

    section = Page.objects.get(slug="ontario-img")
    draft = GuidancePageFactory(
        parent=section, title="Scheduled for tomorrow", slug="scheduled-page", draft=True
    )
    log_in(page, "editor@example.com")  # editors land in the admin
    expect(page).to_have_url(re.compile(r"/admin/$"))

    toronto = timezone.now().astimezone(ZoneInfo("America/Toronto"))
    go_live = (toronto + timedelta(minutes=1)).replace(second=0, microsecond=0)
    page.goto(f"/admin/pages/{draft.pk}/edit/")
    page.get_by_role("button", name=re.compile("Toggle status|Status", re.I)).first.click()
    page.get_by_role("button", name=re.compile("Set schedule", re.I)).click()
    dialog = page.locator("#schedule-publishing-dialog")
    expect(dialog).to_contain_text("In your time zone, Canada (Toronto)")
    dialog.get_by_label(re.compile("Go live", re.I)).fill(go_live.strftime("%Y-%m-%d %H:%M"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "schedule-dialog-in-editors-zone.png"))
    # The date picker's calendar still covers the button, as after typing for a person.
    dialog.get_by_role("button", name=re.compile("Save schedule", re.I)).dispatch_event("click")
    expect(page.locator(".messages")).to_contain_text("has been updated")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile("Schedule to publish", re.I)).click()
    expect(page.locator(".messages")).to_contain_text("scheduled")

    draft.refresh_from_db()
    assert draft.go_live_at == go_live.astimezone(UTC)  # read as Toronto time, stored in UTC
    assert not draft.live
    assert page.request.get("/ontario-img/scheduled-page/").status == 404

    # The job runs once the minute has passed (the clock moved, not waited for).
    with time_machine.travel(go_live + timedelta(seconds=30)):
        publish_scheduled_pages()
    draft.refresh_from_db()
    assert draft.live

    visitor = page.context.browser.new_context(base_url=page.url.split("/admin/")[0])
    anonymous = visitor.new_page()
    anonymous.goto("/ontario-img/scheduled-page/")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Scheduled for tomorrow")
    visitor.close()
