"""One gate for every page gated on a perk (members/gate.py): the school guide, the question
bank, timed practice, a webinar's recording and a library resource all let in the same people
and show everyone else the same panel, with the same status.

- Reading a page (GET): members with the perk and staff get the content; anonymous visitors,
  applicants without a package, members whose entitlement ended or was refunded get 200 and
  the panel (the perk's sales page), and none of the content.
- A write (POST) or a file: those same people get 403 and the panel.
"""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coaching.models import Package, PerkKind
from core.money import format_money
from tests.members.area import ALLOWED, BODY_SECRET, QuestionFactory, SchoolFactory
from tests.practice.factories import PracticeSetFactory
from tests.webinars.factories import WebinarFactory
from webinars import services as webinar_services

pytestmark = pytest.mark.django_db

MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 1000
PANEL = re.compile(r'<section class="perk-panel".*?</section>', re.S)


@pytest.fixture
def gated(resource):
    """Something behind each gate: (what a URL names) → its URL."""
    school = SchoolFactory(name="Queen's University", slug="queens")
    question = QuestionFactory()
    PracticeSetFactory(title="CASPer set Alpha")
    webinar = WebinarFactory(past=True, title="Recorded talk")
    upload = SimpleUploadedFile("talk.mp4", MP4_BYTES, content_type="video/mp4")
    webinar_services.webinar_set_recording(webinar=webinar, actor=webinar.host.user, upload=upload)
    return {
        "school guide": "/members/schools/",
        "shortlist": f"/members/schools/{school.slug}/shortlist/",
        "question bank": "/members/questions/",
        "favourite": f"/members/questions/{question.pk}/favourite/",
        "practice": "/practice/",
        "webinar": webinar.get_absolute_url(),
        "recording file": f"/webinars/{webinar.public_id}/recording/",
        "resource": resource.url,
    }


# (page, the perk it is gated on, what only those let in see)
PAGES = [
    ("school guide", PerkKind.SCHOOL_GUIDE, "Queen's University"),
    ("question bank", PerkKind.QUESTION_BANK, "Interview prompt"),
    ("practice", PerkKind.PRACTICE_TESTS, "CASPer set Alpha"),
    ("webinar", PerkKind.WEBINARS, "<video"),
    ("resource", PerkKind.RESOURCE_LIBRARY, BODY_SECRET),
]

# (a write or a file, how it is asked for, the perk)
REFUSED = [
    ("shortlist", "post", PerkKind.SCHOOL_GUIDE),
    ("favourite", "post", PerkKind.QUESTION_BANK),
    ("resource", "post", PerkKind.RESOURCE_LIBRARY),
    ("recording file", "get", PerkKind.WEBINARS),
]


def the_panel(response, perk, persona_name, url) -> str:
    """The one panel, as members/includes/perk_panel.html renders it for `perk`."""
    page = html.unescape(response.content.decode())
    panels = PANEL.findall(page)
    assert len(panels) == 1, f"{url}: expected the members' panel once, found {len(panels)}"
    panel = panels[0]
    package = Package.objects.get(slug="all-perks")
    assert "Members only" in panel
    assert f"Part of the {PerkKind(perk).label}" in panel
    assert f"{package.name}</a>" in panel
    assert f"from {format_money(package.price_cents, package.currency)}<" in panel
    assert ("/accounts/login/?next=" in panel) == (persona_name == "anonymous")
    return page


@pytest.mark.parametrize(("name", "perk", "content"), PAGES, ids=[p[0] for p in PAGES])
def test_reading_a_gated_page_is_the_content_or_the_panel_with_200(
    asker, persona_name, gated, name, perk, content
):
    url = gated[name]
    response = asker.get(url)
    assert response.status_code == 200, url
    page = html.unescape(response.content.decode())
    if persona_name in ALLOWED:
        assert content in page
        assert "perk-panel" not in page
    else:
        page = the_panel(response, perk, persona_name, url)
        assert content not in page


@pytest.mark.parametrize(("name", "method", "perk"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_gated_write_or_file_is_refused_with_the_panel_and_403(
    asker, persona_name, gated, name, method, perk
):
    url = gated[name]
    response = asker.post(url, {"favourite": "1"}) if method == "post" else asker.get(url)
    if persona_name in ALLOWED:
        assert response.status_code in (200, 302), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"perk-panel" not in body
    else:
        assert response.status_code == 403, url
        the_panel(response, perk, persona_name, url)
