import pytest
from wagtail.rich_text import expand_db_html

from medpath.cms.rich_text import page_ids_linked_from

from .factories import GuidancePageFactory


def test_linked_page_ids_are_found_in_nested_stream_data():
    raw = [
        {"type": "rich_text", "value": '<p><a linktype="page" id="12">x</a></p>'},
        {"type": "faq", "value": {"questions": [{"answer": '<a id="7" linktype="page">y</a>'}]}},
        {"type": "rich_text", "value": '<a linktype="document" id="99">doc</a>'},
    ]
    assert page_ids_linked_from(raw, '<a linktype="page" id="3">z</a>') == {3, 7, 12}


@pytest.mark.django_db
def test_rich_text_page_links_render_with_their_urls_and_deleted_targets_lose_their_href(
    client, section, guidance
):
    doomed = GuidancePageFactory(parent=section, slug="doomed")
    page = GuidancePageFactory(
        parent=section,
        slug="linking",
        body=[
            {
                "type": "rich_text",
                "value": f'<p><a linktype="page" id="{guidance.pk}">Return of service</a> and '
                f'<a linktype="page" id="{doomed.pk}">gone</a></p>',
            },
            {
                "type": "callout",
                "value": {
                    "tone": "info",
                    "title": "",
                    "text": f'<p><a linktype="page" id="{guidance.pk}">again</a></p>',
                },
            },
        ],
    )
    doomed.delete()
    content = client.get(page.url).content.decode()
    assert f'<a href="{guidance.url}">Return of service</a>' in content
    assert f'<a href="{guidance.url}">again</a>' in content
    assert "<a>gone</a>" in content


@pytest.mark.django_db
def test_rich_text_outside_a_page_render_still_resolves_links(guidance):
    html = expand_db_html(f'<a linktype="page" id="{guidance.pk}">read</a>')
    assert html == f'<a href="{guidance.url}">read</a>'
