"""Journey: document review. The applicant sends pasted text and a file; the reviewer claims
it from the queue and returns it with a summary, a suggested version (a word diff) and a file;
the applicant reads it, asks for a revision; the reviewer returns again; the applicant closes
it. Every review page passes an axe scan, and the diff fits a phone screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANT = "applicant@example.com"
REVIEWER = "coach.toronto@example.com"
TEXT = "I helped at a free clinic. It taught me a lot about barriers to care."
SUGGESTED = (
    "At a free clinic I ran intake for 300 newcomers. It taught me a lot about barriers to care."
)


def pdf_file(name: str, text: str) -> dict:
    from reviews.demo import minimal_pdf

    return {"name": name, "mimeType": "application/pdf", "buffer": minimal_pdf(text)}


def status_of(page):
    return page.locator("[data-review-status]")


def test_send_claim_return_revise_return_close(page, browser, live_server, demo):
    from reviews.models import Review

    # --- the applicant sends text and a file
    log_in(page, APPLICANT, next_path="/reviews/new/?service=application-review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Send documents for review")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("ABS and application edit/review").check()
    page.get_by_label(re.compile("^Attach files")).set_input_files(pdf_file("abs.pdf", "My ABS"))
    page.get_by_label(re.compile("^Paste your text")).fill(TEXT)
    expect(page.locator("[data-count-for]").first).to_have_text(
        "69 characters of 50,000 · 15 words"
    )
    page.get_by_label(re.compile("^Your brief")).fill("McMaster; the clinic entry please.")
    page.get_by_role("button", name="Send for review").click()
    expect(status_of(page)).to_have_text("Submitted")
    review = (
        Review.objects.filter(applicant__email=APPLICANT, status="submitted")
        .exclude(service__slug="carms-letter-cv-review")
        .get()
    )
    assert serious_accessibility_violations(page) == []

    # --- the reviewer claims it and returns it with a suggestion and a file
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    coach = context.new_page()
    log_in(coach, REVIEWER, next_path="/coach/reviews/")
    expect(coach.get_by_role("heading", level=1)).to_have_text("Review queue")
    assert serious_accessibility_violations(coach) == []
    coach.get_by_role(
        "button", name="Claim ABS and application edit/review for Amal Haddad"
    ).click()
    expect(coach).to_have_url(re.compile(f"/reviews/{review.public_id}/$"))
    expect(status_of(coach)).to_have_text("Assigned")
    assert serious_accessibility_violations(coach) == []
    coach.get_by_label(re.compile("^Your summary")).fill("Lead with what you did.")
    coach.get_by_label(re.compile("^Suggested version")).fill(SUGGESTED)
    coach.get_by_label(re.compile("^Returned files")).set_input_files(
        pdf_file("abs-marked.pdf", "Notes")
    )
    coach.get_by_role("button", name="Return to the applicant").click()
    expect(status_of(coach)).to_have_text("Returned")

    # --- the applicant reads the diff and asks for a revision
    page.reload()
    expect(status_of(page)).to_have_text("Returned")
    diff = page.locator(".review-diff__text")
    expect(diff.locator("ins").first).to_contain_text("inserted")
    expect(diff.locator("del").first).to_contain_text("deleted")
    expect(page.get_by_role("link", name="abs-marked.pdf")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_label(re.compile("^Your new version")).fill(
        SUGGESTED + " I also trained volunteers."
    )
    page.get_by_role("button", name="Send the revision").click()
    expect(status_of(page)).to_have_text("Revision requested")

    # --- the reviewer returns the revision
    coach.reload()
    coach.get_by_label(re.compile("^Your summary")).fill("Ready to submit.")
    coach.get_by_role("button", name="Return to the applicant").click()
    expect(status_of(coach)).to_have_text("Returned")
    context.close()

    # --- the applicant closes it; the timeline tells the whole story
    page.reload()
    # the demo applicant's package includes unlimited revision rounds: a third is still offered
    expect(page.get_by_role("heading", name="Ask for a revision round")).to_be_visible()
    page.get_by_role("button", name="Close this review").click()
    expect(status_of(page)).to_have_text("Closed")
    timeline = page.locator(".history")
    for step in [
        "Submitted",
        "Claimed by a reviewer",
        "Review started",
        "Returned with feedback",
        "Revision requested",
        "Closed",
    ]:
        expect(timeline).to_contain_text(step)
    assert serious_accessibility_violations(page) == []


def test_the_returned_demo_review_reads_on_a_phone(phone_page, demo):
    from reviews.models import Review

    review = Review.objects.get(status="returned")
    log_in(phone_page, APPLICANT, next_path=review.get_absolute_url())
    expect(phone_page.locator(".review-diff__text ins").first).to_be_visible()
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert serious_accessibility_violations(phone_page) == []
