import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError
from wagtail.rich_text import RichText

from medpath.cms.blocks import (
    CalloutBlock,
    CallToActionBlock,
    ContactCardBlock,
    FAQBlock,
    GuidanceStreamBlock,
    HeadingBlock,
    StepsBlock,
    tel_href,
    validate_link_url,
)


def render(block, raw):
    return block.render(block.to_python(raw))


def test_guidance_body_offers_every_block_type():
    assert set(GuidanceStreamBlock().child_blocks) == {
        "heading",
        "rich_text",
        "callout",
        "steps",
        "contact_card",
        "faq",
        "call_to_action",
        "package",
    }


def test_rich_text_block_renders_inside_prose():
    block = GuidanceStreamBlock().child_blocks["rich_text"]
    html = block.render(RichText("<p>Apply through <b>CaRMS</b>.</p>"))
    assert html.startswith('<div class="prose">')
    assert "<b>CaRMS</b>" in html


def test_heading_block_gets_a_stable_anchor():
    assert HeadingBlock().render("Who can apply?") == (
        '<h2 id="section-who-can-apply">Who can apply?</h2>\n'
    )


@pytest.mark.parametrize("tone", ["info", "warning"])
def test_callout_renders_its_tone_title_and_text(tone):
    html = render(
        CalloutBlock(),
        {"tone": tone, "title": "Check current rules", "text": "<p>Rules change.</p>"},
    )
    assert f'class="callout callout--{tone}"' in html
    assert '<p class="callout__title">' in html
    assert "Check current rules" in html
    assert "<p>Rules change.</p>" in html


def test_steps_render_as_an_ordered_timeline_with_optional_meta():
    html = render(
        StepsBlock(),
        {
            "heading": "From application to match",
            "steps": [
                {"title": "Apply", "meta": "Year 1", "text": "<p>Send the application.</p>"},
                {"title": "Interview", "meta": "", "text": ""},
            ],
        },
    )
    assert '<ol class="steps">' in html
    assert html.count("<li>") == 2
    assert '<span class="steps__meta">· Year 1</span>' in html
    assert html.count("steps__meta") == 1
    assert "<p>Send the application.</p>" in html


def test_contact_card_links_phone_numbers_and_leaves_out_missing_fields():
    html = render(
        ContactCardBlock(),
        {
            "organisation": "HealthForceOntario Access Centre",
            "address": "163 Queen Street\nToronto, ON",
            "hours": "8:30 am to 5:00 pm Eastern",
            "phone_numbers": [
                {"label": "Toronto", "number": "416-862-2200", "extension": ""},
                {"label": "International", "number": "1-800-596-4046", "extension": "4"},
            ],
            "email": "",
            "website": "",
        },
    )
    assert 'class="contact-card"' in html
    assert "<dt>Toronto</dt>" in html
    assert '<a href="tel:+14168622200">416-862-2200</a>' in html
    assert '<a href="tel:+18005964046,4">1-800-596-4046</a>, extension 4' in html
    assert "163 Queen Street<br>Toronto, ON" in html
    assert "mailto:" not in html
    assert "Website" not in html


@pytest.mark.parametrize(
    ("number", "extension", "href"),
    [
        ("416-862-2200", "", "tel:+14168622200"),
        ("1 (800) 596-4046", "4", "tel:+18005964046,4"),
        ("+44 20 7946 0000", "", "tel:+442079460000"),
    ],
)
def test_tel_links_carry_the_country_code(number, extension, href):
    assert tel_href(number, extension) == href


def test_phone_number_must_look_like_one():
    with pytest.raises(ValidationError):
        ContactCardBlock().clean(
            ContactCardBlock().to_python(
                {
                    "organisation": "Access Centre",
                    "phone_numbers": [{"label": "Main", "number": "call us", "extension": ""}],
                }
            )
        )


def test_faq_uses_native_details_and_summary_disclosures():
    html = render(
        FAQBlock(),
        {
            "heading": "Questions",
            "questions": [
                {"question": "Is it free?", "answer": "<p>Yes.</p>"},
                {"question": "Do I need an account?", "answer": "<p>Only to book.</p>"},
            ],
        },
    )
    assert '<div class="faq">' in html
    assert html.count("<details>") == 2
    assert "<summary>Is it free?</summary>" in html
    assert '<div class="faq__answer"><p>Yes.</p></div>' in html


@pytest.mark.django_db
def test_call_to_action_links_to_a_url():
    block = CallToActionBlock()
    value = block.clean(
        block.to_python(
            {
                "heading": "Need help?",
                "text": "Talk to a coach.",
                "page": None,
                "url": "/packages/",
                "button_label": "See packages",
            }
        )
    )
    html = block.render(value)
    assert 'class="card card--feature"' in html
    assert '<a class="button" href="/packages/">See packages</a>' in html


@pytest.mark.django_db
def test_call_to_action_links_to_a_page(guidance):
    block = CallToActionBlock()
    value = block.clean(
        block.to_python(
            {
                "heading": "Read on",
                "text": "",
                "page": guidance.pk,
                "url": "",
                "button_label": "Return of service",
            }
        )
    )
    assert f'href="{guidance.url}"' in block.render(value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("with_page", "url", "message"),
    [
        (False, "", "Choose a page or enter a URL for the button."),
        (True, "/packages/", "Choose a page or enter a URL, not both."),
    ],
)
def test_call_to_action_needs_exactly_one_of_page_or_url(guidance, with_page, url, message):
    block = CallToActionBlock()
    value = block.to_python(
        {
            "heading": "Need help?",
            "text": "",
            "page": guidance.pk if with_page else None,
            "url": url,
            "button_label": "Go",
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert error.value.block_errors["url"].messages == [message]
    assert error.value.block_errors["page"].messages == [message]


@pytest.mark.parametrize("url", ["/packages/", "https://www.carms.ca/", "http://example.com/a?b=c"])
def test_link_urls_accept_site_paths_and_web_addresses(url):
    validate_link_url(url)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/", "packages", "/with space/", "ftp://x.org/"]
)
def test_link_urls_refuse_scripts_protocol_relative_and_bare_words(url):
    with pytest.raises(ValidationError):
        validate_link_url(url)
