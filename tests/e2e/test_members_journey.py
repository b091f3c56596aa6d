"""Journey 6: a buyer opens the members' area; non-members meet the members-only panel.

A fresh verified user (not the demo applicant, who holds every perk) buys "Application
Essentials" (school guide) on the offline checkout, filters the guide, compares schools side by
side (also on a 360 px phone), shortlists one with a note; then buys "Interview Ready" from the
question bank's members-only panel and draws a question. A logged-in non-member and an
anonymous visitor meet the panel on the guide and on a gated library page.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = "/members/schools/"
QUESTIONS = "/members/questions/"
GATED_RESOURCE = "/members/application-year-planner/"  # the resource-library perk
BUYER_PASSWORD = "Guide-buyer-2027"
COMPARED = ["University of Ottawa", "Queen's University", "McMaster University"]


def make_user(email: str, name: str):
    from allauth.account.models import EmailAddress

    from medpath.accounts.models import User

    user = User.objects.create_user(
        email=email, password=BUYER_PASSWORD, display_name=name, time_zone="America/Toronto"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def buyer(demo):
    return make_user("mei.tremblay@example.org", "Mei Tremblay")


@pytest.fixture
def non_member(demo):
    return make_user("sam.okafor@example.org", "Sam Okafor")


def buy_on_the_package_page(page) -> None:
    """From a package page: Buy now, pay on the offline checkout, see the confirmation."""
    page.get_by_role("button", name=re.compile("Buy now")).click()
    expect(page).to_have_url(re.compile("/checkout/offline/"))
    page.get_by_role("button", name=re.compile(r"Pay .* \(test\)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is confirmed")


def widest_elements(page) -> list[str]:
    """Elements (visible ones) that stick out of the viewport sideways, and the page's overflow."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > width) {
                out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
            }
            for (const el of document.body.querySelectorAll('*')) {
                const box = el.getBoundingClientRect();
                if (box.width === 0 || box.height === 0) continue;
                if (box.right > width + 0.5 || box.left < -0.5) {
                    const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
                    out.push(`${name} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
                }
            }
            return out;
        }"""
    )


def expect_members_panel(page, *, anonymous: bool) -> None:
    panel = page.locator(".perk-panel")
    expect(panel.get_by_text("Members only")).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_contain_text("Part of the")
    included = panel.locator(".perk-panel__packages")
    expect(included.get_by_role("link")).not_to_have_count(0)
    # Each package is named with its price, not an empty "from".
    for item in included.get_by_role("listitem").all():
        expect(item).to_contain_text(re.compile(r"from CA\$\d"))
    expect(panel.get_by_role("link", name="Compare packages")).to_be_visible()
    expect(panel.get_by_role("link", name="Log in")).to_have_count(1 if anonymous else 0)


def test_buyer_opens_the_school_guide_filters_compares_and_shortlists(page, buyer):
    from coaching.models import PerkKind
    from members.access import has_perk
    from members.models import FavouriteQuestion, ShortlistEntry

    log_in(page, buyer.email, BUYER_PASSWORD)
    page.goto("/packages/application-essentials/")
    buy_on_the_package_page(page)
    assert has_perk(type(buyer).objects.get(pk=buyer.pk), PerkKind.SCHOOL_GUIDE)

    # The guide opens.
    response = page.goto(GUIDE)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Canadian MD school guide")
    expect(page.get_by_role("status")).to_have_text("18 schools.")
    assert serious_accessibility_violations(page) == []

    # Filter: Ontario and French finds the bilingual University of Ottawa only.
    filters = page.locator("form.school-filters")
    filters.get_by_label("Province").select_option(label="Ontario")
    filters.get_by_label("Language of instruction").select_option(label="French")
    filters.get_by_role("button", name="Show schools").click()
    expect(page).to_have_url(re.compile(r"province=ON.*language=fr"))
    expect(page.get_by_role("status")).to_have_text("1 school.")
    expect(page.locator(".school-card__name")).to_have_text(["University of Ottawa"])
    assert serious_accessibility_violations(page) == []

    # Ontario in any language, then three schools side by side.
    page.get_by_role("link", name="Clear filters").click()
    page.locator("form.school-filters").get_by_label("Province").select_option(label="Ontario")
    page.get_by_role("button", name="Show schools").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ schools\.$"))
    for name in COMPARED:
        page.get_by_role("checkbox", name=re.compile(f"^Compare {re.escape(name)}")).check()
    page.get_by_role("button", name="Compare side by side").click()
    expect(page).to_have_url(re.compile(r"/members/schools/compare/\?"))
    assert sorted(parse_qs(urlsplit(page.url).query)["school"]) == ["mcmaster", "ottawa", "queens"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare schools")
    table = page.get_by_role("table")
    for name in COMPARED:
        expect(table.get_by_role("columnheader", name=re.compile(re.escape(name)))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^MD program"))).to_contain_text("3 years")
    assert serious_accessibility_violations(page) == []

    # On a 360 px phone nothing on the comparison is wider than the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare schools")
    assert widest_elements(page) == []
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})

    # Shortlist Queen's from the comparison, with a note on the shortlist page.
    page.get_by_role("button", name=re.compile(r"^Add to shortlist ?: Queen's University$")).click()
    expect(page.locator(".messages")).to_contain_text("Queen's University is on your shortlist.")
    expect(page.get_by_role("button", name=re.compile("Remove Queen's University"))).to_be_visible()
    page.get_by_role("navigation", name="Members' area").get_by_role(
        "link", name="My shortlist"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My school shortlist")
    entry = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Queen's University")
    )
    note = "Kingston: ask about the rural electives in my interview."
    entry.get_by_label("Your notes").fill(note)
    entry.get_by_role("button", name="Save notes on Queen's University").click()
    expect(page.locator(".messages")).to_contain_text("Notes on Queen's University saved.")
    expect(page.get_by_label("Your notes")).to_have_value(note)
    assert serious_accessibility_violations(page) == []
    assert list(
        ShortlistEntry.objects.filter(member=buyer).values_list("school__slug", "notes")
    ) == [("queens", note)]

    # The question bank is not in this package: its panel offers one that includes it.
    response = page.goto(QUESTIONS)
    assert response.status == 200  # the panel is a sales page (members.gate)
    expect(page.get_by_role("heading", level=1)).to_have_text("The interview question bank")
    expect_members_panel(page, anonymous=False)
    page.locator(".perk-panel").get_by_role("link", name="Interview Ready").click()
    expect(page).to_have_url(re.compile("/packages/interview-ready/$"))
    buy_on_the_package_page(page)

    # Now it opens: draw a random MMI question and keep it as a favourite.
    response = page.goto(QUESTIONS)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview question bank")
    page.get_by_label("Format").select_option(label="MMI station")
    page.get_by_role("button", name="Draw a random question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A random question")
    card = page.locator(".question-card")
    expect(card.locator(".badge").first).to_have_text("MMI station")
    drawn = card.locator(".question-card__text").inner_text()
    card.get_by_role("button", name="☆ Add to favourites").click()
    # Back on the same question (not a new draw), now marked.
    expect(card.locator(".question-card__text")).to_have_text(drawn)
    expect(card.get_by_role("button", name=re.compile("Favourite"))).to_have_attribute(
        "aria-pressed", "true"
    )
    assert serious_accessibility_violations(page) == []
    assert list(
        FavouriteQuestion.objects.filter(member=buyer).values_list("question__text", flat=True)
    ) == [drawn]


def test_non_member_and_visitor_meet_the_members_only_panel(page, browser, live_server, non_member):
    # A logged-in member without the perk: the guide's address shows the panel, not an error page.
    log_in(page, non_member.email, BUYER_PASSWORD)
    response = page.goto(GUIDE)
    assert response.status == 200  # the panel, with the status members.gate documents
    expect(page.get_by_role("heading", level=1)).to_have_text("The Canadian MD school guide")
    expect_members_panel(page, anonymous=False)
    included = page.locator(".perk-panel__packages")
    expect(included.get_by_role("link")).to_have_text(
        ["Application Essentials", "Complete MD Pathway"]
    )
    assert serious_accessibility_violations(page) == []

    # A gated library page: its public part, and the panel in place of the body.
    response = page.goto(GATED_RESOURCE)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning your MD application year")
    expect(page.locator(".resource-teaser")).to_contain_text("Inside:")
    expect(page.get_by_text("Start with eligibility")).to_have_count(0)
    expect_members_panel(page, anonymous=False)
    assert serious_accessibility_violations(page) == []

    # An anonymous visitor: the same panel, with a way to log in and come back.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        visitor = context.new_page()
        response = visitor.goto(GUIDE)
        assert response.status == 200
        expect(visitor.get_by_role("heading", level=1)).to_have_text("The Canadian MD school guide")
        expect_members_panel(visitor, anonymous=True)
        assert serious_accessibility_violations(visitor) == []
        visitor.locator(".perk-panel").get_by_role("link", name="Log in").click()
        expect(visitor).to_have_url(
            re.compile(r"/accounts/login/\?next=(/|%2F)members(/|%2F)schools(/|%2F)$")
        )
        response = visitor.goto(GATED_RESOURCE)
        assert response.status == 200
        expect_members_panel(visitor, anonymous=True)
        assert serious_accessibility_violations(visitor) == []
    finally:
        context.close()
