import pytest
from django.core.exceptions import ValidationError

from medpath.cms.models import FooterSettings, MainMenuItem, NavigationSettings

from .factories import GuidancePageFactory


def add_menu(*items):
    navigation = NavigationSettings.load()
    for order, (label, target) in enumerate(items):
        MainMenuItem.objects.create(
            navigation=navigation,
            sort_order=order,
            label=label,
            link_page=target if not isinstance(target, str) else None,
            link_url=target if isinstance(target, str) else "",
        )


@pytest.mark.django_db
def test_header_lists_menu_links_in_order_and_marks_the_current_section(client, section, guidance):
    add_menu(("Packages", "/packages/"), ("Guidance", section))
    content = client.get(guidance.url).content.decode()
    assert content.index(">Packages</a>") < content.index(">Guidance</a>")
    assert f'<a href="{section.url}" aria-current="true">Guidance</a>' in content
    assert '<a href="/packages/">Packages</a>' in content

    content = client.get(section.url).content.decode()
    assert f'<a href="{section.url}" aria-current="page">Guidance</a>' in content


@pytest.mark.django_db
def test_header_keeps_the_account_links(client, home, django_user_model):
    content = client.get("/").content.decode()
    assert "Log in" in content and "Sign up" in content
    user = django_user_model.objects.create_user(email="amal@example.com", password="x-long-pass")
    client.force_login(user)
    content = client.get("/").content.decode()
    assert 'href="/dashboard/"' in content and "Log out" in content


@pytest.mark.django_db
def test_menu_hides_links_to_unpublished_pages(client, section, guidance):
    draft = GuidancePageFactory(parent=section, title="Draft page", draft=True)
    add_menu(("Soon", draft), ("Guidance", section))
    content = client.get("/").content.decode()
    assert ">Soon</a>" not in content
    assert ">Guidance</a>" in content


@pytest.mark.django_db
@pytest.mark.parametrize(("with_page", "url"), [(False, ""), (True, "/packages/")])
def test_menu_item_needs_exactly_one_of_page_or_url(home, with_page, url):
    item = MainMenuItem(
        navigation=NavigationSettings.load(),
        label="Go",
        link_page=home if with_page else None,
        link_url=url,
    )
    with pytest.raises(ValidationError) as error:
        item.clean()
    assert "exactly one" in str(error.value)


@pytest.mark.django_db
def test_footer_renders_columns_about_text_email_and_legal_line(client, section, guidance):
    footer = FooterSettings.load()
    footer.about_text = "Free guidance for applicants."
    footer.contact_email = "hello@medpath.example"
    footer.legal_line = "General information, not advice."
    footer.columns = [
        {
            "type": "column",
            "value": {
                "heading": "Guidance",
                "links": [
                    {"label": "Pathways", "page": section.pk, "url": ""},
                    {"label": "Packages", "page": None, "url": "/packages/"},
                ],
            },
        }
    ]
    footer.save()
    content = client.get(guidance.url).content.decode()
    footer_html = content[content.index('<footer class="site-footer">') :]
    assert "<h2>Guidance</h2>" in footer_html
    assert f'<a href="{section.url}">Pathways</a>' in footer_html
    assert '<a href="/packages/">Packages</a>' in footer_html
    assert "Free guidance for applicants." in footer_html
    assert 'href="mailto:hello@medpath.example"' in footer_html
    assert "MedPath. General information, not advice." in footer_html


@pytest.mark.django_db
def test_guidance_page_has_title_description_and_open_graph_tags(client, guidance):
    content = client.get(guidance.url).content.decode()
    assert "<title>Return of service for IMGs · MedPath</title>" in content
    description = "Five years of full-time practice in an eligible community."
    assert f'<meta name="description" content="{description}">' in content
    assert '<meta property="og:title" content="Return of service for IMGs">' in content
    assert f'<meta property="og:description" content="{description}">' in content
    assert (
        '<meta property="og:url" content="http://testserver/img-pathways/return-of-service/">'
        in content
    )
    assert '<meta property="og:type" content="article">' in content
    assert '<meta property="og:site_name" content="MedPath">' in content
    assert '<meta name="twitter:card" content="summary">' in content
    assert (
        '<link rel="canonical" href="http://testserver/img-pathways/return-of-service/">' in content
    )


@pytest.mark.django_db
def test_without_promote_fields_the_title_and_summary_are_used(client, section):
    page = GuidancePageFactory(
        parent=section,
        title="CaRMS basics",
        summary="How the <match> works.",
        seo_title="",
        search_description="",
    )
    content = client.get(page.url).content.decode()
    assert "<title>CaRMS basics · MedPath</title>" in content
    assert '<meta property="og:title" content="CaRMS basics">' in content
    assert '<meta name="description" content="How the &lt;match&gt; works.">' in content
