"""Editors edit the menu and footer in Wagtail's Settings menu."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from medpath.cms.models import FooterSettings, NavigationSettings


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="ed@example.com", password="pw-123456")
    client.force_login(user)
    return client


def edit_url(model):
    instance = model.load()
    return reverse("wagtailsettings:edit", args=["cms", model._meta.model_name, instance.pk])


@pytest.mark.django_db
def test_editor_saves_menu_links_in_the_admin(editor_client, section):
    url = edit_url(NavigationSettings)
    assert editor_client.get(url).status_code == 200
    data = nested_form_data(
        {
            "menu_items": inline_formset(
                [
                    {"label": "Guidance", "link_page": section.pk, "link_url": ""},
                    {"label": "Packages", "link_page": "", "link_url": "/packages/"},
                ]
            )
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    labels = list(
        NavigationSettings.load().menu_items.order_by("sort_order").values_list("label", flat=True)
    )
    assert labels == ["Guidance", "Packages"]


@pytest.mark.django_db
def test_menu_link_without_page_or_url_is_refused_with_a_message(editor_client):
    url = edit_url(NavigationSettings)
    data = nested_form_data(
        {"menu_items": inline_formset([{"label": "Nowhere", "link_page": "", "link_url": ""}])}
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Choose a page or enter a URL (exactly one)." in response.content.decode()
    assert not NavigationSettings.load().menu_items.exists()


@pytest.mark.django_db
def test_editor_saves_footer_columns_in_the_admin(editor_client, section):
    url = edit_url(FooterSettings)
    assert editor_client.get(url).status_code == 200
    data = nested_form_data(
        {
            "about_text": "Free guidance.",
            "contact_email": "hello@medpath.example",
            "legal_line": "Not legal advice.",
            "columns": streamfield(
                [
                    (
                        "column",
                        {
                            "heading": "Guidance",
                            "links": streamfield(
                                [("item", {"label": "Pathways", "page": section.pk, "url": ""})]
                            ),
                        },
                    )
                ]
            ),
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    footer = FooterSettings.load()
    assert footer.columns[0].value["links"][0]["page"].pk == section.pk
