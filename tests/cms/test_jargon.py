"""Jargon explained at its first use on a page (medpath.cms.jargon, `{% explain_jargon %}`)."""

import re

import pytest
from django.template import Context, Template

from medpath.cms.jargon import TERMS, explain_first_uses


def notes(html: str) -> list[str]:
    return re.findall(r'<span class="term-note"> \(([^)]*)\)</span>', html)


def test_first_use_gets_its_meaning_and_later_uses_do_not():
    html = explain_first_uses("<p>ABS strategy session</p><p>Bring your ABS draft.</p>")
    assert notes(html) == ["ABS: autobiographical sketch"]
    assert html.index("term-note") < html.index("</p><p>")


def test_the_words_on_the_page_are_left_as_they_were():
    html = explain_first_uses(
        "<li><strong>2 ×</strong> CASPer preparation <span>· 90 min</span></li>"
    )
    assert "2 ×</strong> CASPer preparation<span" in html
    assert notes(html) == ["CASPer: online situational-judgement test"]


def test_a_term_that_ends_its_phrase_is_followed_directly_by_its_meaning():
    html = explain_first_uses("<p>Mock interviews in MMI, MPI and panel formats.</p>")
    assert 'MMI<span class="term-note"> (multiple mini interview)</span>,' in html
    assert 'MPI<span class="term-note"> (modified personal interview)</span> and' in html


def test_plurals_and_compounds_are_explained_as_written():
    html = explain_first_uses("<p>CASPer-style scenarios for IMGs.</p>")
    assert notes(html) == [
        "CASPer: online situational-judgement test",
        "international medical graduates",
    ]
    assert "CASPer-style scenarios<span" in html
    html = explain_first_uses("<p>How IMGs enter practice</p>")
    assert notes(html) == ["IMGs: international medical graduates"]


@pytest.mark.parametrize(
    "already",
    [
        "<p>International medical graduates (IMGs) apply through CaRMS, the Canadian Resident "
        "Matching Service.</p>",
        "<p>IMGs, that is <b>international medical graduates</b>, apply through the Canadian "
        "Resident Matching Service (CaRMS).</p>",
    ],
)
def test_a_term_already_explained_beside_its_first_use_is_left_alone(already):
    assert explain_first_uses(already) == already


def test_text_a_reader_does_not_see_or_that_is_not_prose_is_skipped():
    html = explain_first_uses(
        "<nav><a>IMGs</a></nav>"
        '<span class="visually-hidden">CaRMS</span><p hidden>CaRMS</p>'
        '<div aria-hidden="true">CaRMS</div><div data-no-jargon><p>CaRMS</p></div>'
        '<span class="badge badge--muted">CaRMS</span>'
        "<script>let x = '<p>CaRMS</p>';</script><button>CaRMS</button>"
        "<select><option>CaRMS</option></select><code>CaRMS</code>"
        "<p>CaRMS timeline</p>"
    )
    assert notes(html) == ["CaRMS: Canadian Resident Matching Service"]
    assert html.endswith(
        '<p>CaRMS timeline<span class="term-note"> (CaRMS: Canadian Resident Matching Service)</span></p>'
    )
    assert "<option>CaRMS</option>" in html and "<nav><a>IMGs</a></nav>" in html
    assert '<span class="badge badge--muted">CaRMS</span>' in html  # a label, not prose


def test_character_references_are_not_split():
    html = explain_first_uses("<p>CaRMS basics &amp; timeline</p>")
    assert "&amp; timeline<span" in html


def test_terms_inside_words_or_attributes_are_not_jargon():
    html = (
        '<p title="CaRMS">ABSOLUTE, MMIX? No: NABS, xMPI, GST/HST and pre_HST.</p><img alt="ABS">'
    )
    assert explain_first_uses(html) == html


def test_a_page_without_jargon_is_returned_unchanged():
    html = "<p>Book a session at a time that suits you.</p>"
    assert explain_first_uses(html) is html


def test_notes_are_escaped_text():
    html = explain_first_uses("<p>Ontario <b>HST</b></p>")
    assert html == '<p>Ontario <b>HST<span class="term-note"> (harmonized sales tax)</span></b></p>'


def test_every_term_has_a_meaning_and_its_own_glossary_anchor():
    anchors = [term.anchor for term in TERMS]
    assert len(set(anchors)) == len(TERMS)
    assert all(term.expansion for term in TERMS)
    assert {"ABS", "MPI", "MMI", "CASPer", "CaRMS", "OMSAS", "IMG", "HST", "PRA", "CPSO"} <= {
        term.term for term in TERMS
    }


def test_the_template_block_explains_what_it_wraps_and_keeps_it_safe():
    rendered = Template(
        "{% load jargon %}{% explain_jargon %}<p>{{ text }}</p>{% endexplain_jargon %}"
    ).render(Context({"text": "<b>OMSAS</b>"}))
    assert rendered == (
        "<p>&lt;b&gt;OMSAS&lt;/b&gt;"
        '<span class="term-note"> (OMSAS: Ontario Medical School Application Service)</span></p>'
    )


# --- on the pages ---------------------------------------------------------------------------


@pytest.fixture
def casper_package(db):
    from tests.coaching.factories import PackageFactory, ServiceFactory

    casper = ServiceFactory(name="CASPer preparation", slug="casper-preparation")
    abs_session = ServiceFactory(name="ABS strategy session", slug="abs-strategy")
    PackageFactory(name="Interview Ready", slug="interview-ready", untaxed=True)
    return PackageFactory(
        name="CASPer Ready",
        slug="casper-ready",
        summary="Two coached sessions before your test.",
        untaxed=True,
        items=[(casper, 2), (abs_session, 1)],
    )


def main_content(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_the_package_list_explains_each_term_once_where_it_first_appears(
    client, casper_package, settings
):
    settings.STRIPE_TAX_MODE = "rate"  # prices then say "+ HST", explained under the cards
    main = main_content(client.get("/packages/").content.decode())

    assert notes(main) == [
        "CASPer: online situational-judgement test",
        "ABS: autobiographical sketch",
        "HST: harmonized sales tax",  # the note under the cards
    ]
    # The card's heading stays as written; its item list is the first prose use of both.
    assert 'casper-ready/">CASPer Ready</a></h2>' in main
    assert 'CASPer preparation<span class="term-note">' in main
    assert 'ABS strategy session<span class="term-note">' in main


def test_a_package_page_explains_its_terms_at_first_use(client, casper_package):
    main = main_content(client.get("/packages/casper-ready/").content.decode())

    assert notes(main) == [
        "CASPer: online situational-judgement test",
        "ABS: autobiographical sketch",
    ]
    # The heading is not rewritten; the first use in the page's prose is explained.
    assert re.search(r"<h1[^>]*>\s*CASPer Ready\s*</h1>", main)
    assert 'CASPer Ready is yours<span class="term-note">' in main


# --- words that are not the page's own prose ------------------------------------------------

ALL_TERMS = " ".join(term.term for term in TERMS)


def test_headings_quotes_and_typed_text_are_never_rewritten():
    markup = (
        f"<header><p>{ALL_TERMS}</p></header><h1>{ALL_TERMS}</h1><h2>{ALL_TERMS}</h2>"
        f"<h6>{ALL_TERMS}</h6><blockquote>{ALL_TERMS}</blockquote><p><q>{ALL_TERMS}</q></p>"
        f'<textarea>{ALL_TERMS}</textarea><input value="{ALL_TERMS}">'
        f"<span data-no-jargon>{ALL_TERMS}</span>"
    )
    assert explain_first_uses(markup) == markup
    # The body text after them is where each term is first explained.
    html = explain_first_uses(markup + "<p>About the MMI, in short.</p>")
    assert html == markup + (
        '<p>About the MMI<span class="term-note"> (multiple mini interview)</span>, in short.</p>'
    )


def test_the_user_text_filter_escapes_keeps_line_breaks_and_marks_the_text():
    rendered = Template("{% load jargon %}{{ note|user_text }}").render(
        Context({"note": "I am an IMG\n<b>from</b> Brazil"})
    )
    assert rendered == "<span data-no-jargon>I am an IMG<br>&lt;b&gt;from&lt;/b&gt; Brazil</span>"


@pytest.mark.django_db
def test_a_booking_note_reads_as_written_to_the_applicant_and_to_the_coach(time_machine):
    from django.test import Client

    from tests.booking.factories import BookingFactory, utc
    from tests.coaching.factories import CoachFactory, ServiceFactory

    time_machine.move_to(utc(2027, 3, 1, 12, 0), tick=False)
    note = f"I am an IMG from Brazil. {ALL_TERMS}"
    booking = BookingFactory(
        coach=CoachFactory(),
        service=ServiceFactory(name="Strategy session"),
        start=utc(2027, 3, 3, 15, 0),
        applicant_notes=note,
    )
    for user, url in (
        (booking.applicant, f"/book/bookings/{booking.public_id}/"),
        (booking.coach.user, "/coach/"),
    ):
        client = Client()
        client.force_login(user)
        main = main_content(client.get(url).content.decode())
        assert f"<span data-no-jargon>{note}</span>" in main, url
        assert "international medical graduate" not in main, url


@pytest.mark.django_db
def test_a_pages_headings_stay_as_written_and_its_body_explains_the_term_once(guidance):
    guidance.title = "Language tests for IMGs"
    guidance.body = [
        {"type": "heading", "value": "MMI and CaRMS dates"},
        {"type": "rich_text", "value": "<p>Most IMGs sit the MMI once.</p>"},
    ]
    guidance.save_revision().publish()
    from django.test import Client

    html = Client().get(guidance.url).content.decode()
    main = main_content(html)
    assert re.search(r"<h1[^>]*>\s*Language tests for IMGs\s*</h1>", main)
    assert "MMI and CaRMS dates</h2>" in main
    assert notes(main) == ["IMGs: international medical graduates; MMI: multiple mini interview"]
    assert "<title>Return of service for IMGs · MedPath</title>" in html
