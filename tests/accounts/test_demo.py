import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_editor_may_publish_guidance_pages():
    from wagtail.models import Page

    from medpath.accounts.models import User

    call_command("load_demo", force=True, quiet_logins=True)
    editor = User.objects.get(email="editor@example.com")
    section = Page.objects.get(slug="ontario-img")
    permissions = section.permissions_for_user(editor)
    assert permissions.can_add_subpage()
    assert permissions.can_publish_subpage()
