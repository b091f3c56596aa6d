"""Journey: a member registers for a webinar, finds it on the dashboard, gets the join link when
it opens (server time travelled with time-machine: the live server runs in this process), the
host marks attendance and adds the recording, and the member watches it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, serious_accessibility_violations
from webinars.demo import RECORDING

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Residency interviews: live practice"
JOIN_URL = "https://meet.example.com/medpath-live-practice"


@pytest.fixture
def webinar(demo):
    """A members' webinar hosted by Priya, starting in about two hours."""
    from coaching.models import Coach
    from medpath.accounts.models import User
    from webinars import services as webinar_services

    start = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    return webinar_services.webinar_create(
        actor=User.objects.get(email="staff@example.com"),
        title=TITLE,
        description="Practise answers with feedback from two coaches.",
        host=Coach.objects.get(slug="priya-raman"),
        start=start,
        end=start + timedelta(hours=1),
        capacity=10,
        join_url=JOIN_URL,
    )


def join_link(page):
    return page.get_by_role("link", name="Join the webinar")


def test_member_registers_joins_on_time_and_watches_the_recording(
    page, browser, live_server, webinar, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)

    # The member finds the webinar and registers.
    log_in(page, "applicant@example.com", next_path="/webinars/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Live webinars")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".webinar-when")).to_contain_text("(India)")
    expect(page.locator(".webinar-when")).to_contain_text("(Toronto) for the host")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".messages")).to_contain_text("You have a seat")
    expect(page.get_by_text("The join link appears here from")).to_be_visible()
    expect(join_link(page)).to_have_count(0)

    # It is on the dashboard.
    page.goto("/dashboard/")
    section = page.locator("section", has=page.get_by_role("heading", name="Your webinars"))
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()

    # Sixteen minutes before the start: still no link; fourteen minutes before: there it is.
    time_machine.move_to(webinar.start - timedelta(minutes=16), tick=True)
    page.goto(webinar.get_absolute_url())
    expect(join_link(page)).to_have_count(0)
    time_machine.move_to(webinar.start - timedelta(minutes=14), tick=True)
    page.reload()
    expect(join_link(page)).to_have_attribute("href", JOIN_URL)
    page.goto("/dashboard/")
    expect(page.get_by_role("link", name=re.compile(f"Join {TITLE}"))).to_be_visible()

    # After the webinar, the host marks attendance and adds the recording.
    time_machine.move_to(webinar.end + timedelta(minutes=10), tick=True)
    host_context = browser.new_context(base_url=live_server.url)
    host = host_context.new_page()
    log_in(host, "coach.toronto@example.com", next_path="/webinars/host/")
    host.get_by_role("link", name=TITLE).click()
    expect(host.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(host.get_by_role("table")).to_contain_text("applicant@example.com")
    assert serious_accessibility_violations(host) == []
    host.get_by_label(re.compile("Amal Haddad")).check()
    host.get_by_role("button", name="Save attendance").click()
    expect(host.locator(".messages")).to_contain_text("1 of 1 came")
    host.get_by_label("Video file").set_input_files(str(RECORDING))
    host.get_by_role("button", name="Add the recording").click()
    expect(host.locator(".messages")).to_contain_text("Recording added")
    host_context.close()

    # The member watches it: a video element whose src is the permission-checked view.
    page.goto("/webinars/")
    page.get_by_role("region", name="Recordings").get_by_role("link", name=TITLE).click()
    video = page.locator("video.webinar-video")
    expect(video).to_have_attribute("src", f"/webinars/{webinar.public_id}/recording/")
    duration = video.evaluate(
        """v => new Promise(resolve => {
            if (v.readyState >= 1) return resolve(v.duration);
            v.addEventListener('loadedmetadata', () => resolve(v.duration));
            v.addEventListener('error', () => resolve(-1));
            v.load();
        })"""
    )
    assert duration > 0
    assert serious_accessibility_violations(page) == []

    # The same src is refused to someone who is not logged in.
    anonymous = browser.new_context(base_url=live_server.url)
    response = anonymous.request.get(f"/webinars/{webinar.public_id}/recording/")
    assert response.status == 403
    anonymous.close()
