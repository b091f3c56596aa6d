"""Editors get what the README promises: the catalogue (with testimonials), the navigation and
the footer; the admin wears MedPath's name, from its login page on."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from coaching.models import Coach, Package, Service, Testimonial
from medpath.accounts.models import User
from medpath.cms.models import FooterSettings, NavigationSettings
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE = (Service, Package, Coach, Testimonial)


def _snippet_url(model, action, *args):
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def _settings_url(model):
    return reverse("wagtailsettings:edit", args=["cms", model._meta.model_name, model.load().pk])


def test_wagtails_editors_group_keeps_the_catalogue_and_testimonials(client):
    # What the migration grants on any site, demo or not.
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    home = client.get("/admin/").content.decode()

    assert "Catalogue" in home
    for model in CATALOGUE:
        assert _snippet_url(model, "list") in home
        assert client.get(_snippet_url(model, "list")).status_code == 200
        assert client.get(_snippet_url(model, "add")).status_code == 200


def test_the_demo_editor_keeps_catalogue_navigation_footer_and_testimonials(client):
    call_command("load_demo", force=True, quiet_logins=True)
    editor = User.objects.get(email="editor@example.com")
    assert not editor.is_superuser
    client.force_login(editor)

    home = client.get("/admin/").content.decode()

    assert "Catalogue" in home and "Settings" in home
    for model in (NavigationSettings, FooterSettings):
        assert client.get(_settings_url(model)).status_code == 200
    testimonial = Testimonial.objects.first()
    response = client.get(_snippet_url(Testimonial, "edit", testimonial.pk))
    assert response.status_code == 200
    assert "invented names" in response.content.decode()  # the help text says so
    coach = Coach.objects.first()
    assert client.get(_snippet_url(Coach, "edit", coach.pk)).status_code == 200


def test_an_applicant_gets_none_of_it(client):
    call_command("load_demo", force=True, quiet_logins=True)
    client.force_login(User.objects.get(email="applicant@example.com"))

    assert client.get(_settings_url(NavigationSettings)).status_code == 302
    assert client.get(_snippet_url(Testimonial, "list")).status_code == 302


def test_the_admin_login_page_shows_the_medpath_name(client):
    response = client.get("/admin/login/", follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    assert 'class="brand"' in html and "MedPath</a>" in html
    assert "<title>Log in" in html and "MedPath</title>" in html
    assert "Wagtail" not in html


def test_the_admin_wears_medpaths_name_and_mark_not_wagtails(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get("/admin/").content.decode()

    assert "- MedPath admin</title>" in html
    assert 'alt="MedPath"' in html and "medpath/img/favicon.svg" in html
