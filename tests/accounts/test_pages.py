import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path, reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE_LAYOUT_MARKERS = [
    '<header class="site-header">',
    'class="brand"',
    '<main id="main"',
    'class="site-footer"',
]


def assert_in_site_layout(response):
    html = response.content.decode()
    for marker in SITE_LAYOUT_MARKERS:
        assert marker in html, marker
    assert "· MedPath</title>" in html
    assert "<strong>Menu:</strong>" not in html  # allauth's bare default layout


@pytest.mark.parametrize(
    "url",
    [
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_email_verification_sent"),
        reverse("account_inactive"),
        "/accounts/confirm-email/not-a-key/",
        "/accounts/password/reset/key/1-not-a-token/",
    ],
)
def test_anonymous_account_pages_use_the_site_layout(client, url):
    response = client.get(url, follow=True)

    assert response.status_code == 200
    assert_in_site_layout(response)


@pytest.mark.parametrize(
    "url",
    [
        reverse("account_logout"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("account_reauthenticate"),
        reverse("account_profile"),
    ],
)
def test_signed_in_account_pages_use_the_site_layout(client, url):
    client.force_login(UserFactory(verified=True))

    response = client.get(url)

    assert response.status_code == 200
    assert_in_site_layout(response)


def test_set_password_page_uses_the_site_layout_for_a_user_without_a_password(client):
    user = UserFactory(verified=True)
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    response = client.get(reverse("account_set_password"))

    assert response.status_code == 200
    assert_in_site_layout(response)
    assert b"Set a password" in response.content


def test_account_forms_render_labels_help_and_errors_with_design_system_classes(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "time_zone": "UTC", "password1": "x", "password2": "y"},
    )
    html = response.content.decode()

    assert '<label for="id_email">Email address</label>' in html
    assert '<div class="field field--error">' in html
    assert '<ul class="errorlist" id="id_email_error">' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert '<div class="helptext" id="id_time_zone_helptext">' in html
    assert "placeholder=" not in html


class SampleForm(forms.Form):
    name = forms.CharField(help_text="As on your passport.")
    agree = forms.BooleanField(label="I agree")


def test_form_field_tag_renders_any_form_in_the_design_system():
    form = SampleForm(data={"name": ""})
    form.is_valid()

    html = Template(
        "{% load medpath_forms %}{% form_field form.name %}{% form_field form.agree %}"
    ).render(Context({"form": form}))

    assert '<div class="field field--error">' in html
    assert '<label for="id_name">Name</label>' in html
    assert '<div class="helptext" id="id_name_helptext">As on your passport.</div>' in html
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>' in html
    assert '<div class="field field--checkbox field--error">' in html


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/%E2%28%A1/",  # invalid UTF-8
        "/..%2f..%2fetc/passwd",
        "/dashboard/extra/",
        "/<script>alert(1)</script>/",
    ],
)
def test_unknown_and_malformed_paths_get_the_styled_404_page(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert b"We couldn\xe2\x80\x99t find that page" in response.content
    assert b'<header class="site-header">' in response.content


def test_500_template_renders_without_a_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert 'href="/static/medpath/css/site.css"' in html
    assert 'class="brand"' in html


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", broken_view)]


@pytest.mark.urls(__name__)
def test_an_unhandled_error_shows_the_500_page_without_details(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"boom" not in response.content
