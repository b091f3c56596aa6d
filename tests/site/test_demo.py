import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from medpath.accounts.models import User


@pytest.mark.django_db
def test_demo_loader_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_users_have_verified_emails_and_the_documented_password():
    call_command("load_demo", force=True, quiet_logins=True)
    for email in [
        "staff@example.com",
        "editor@example.com",
        "coach.toronto@example.com",
        "coach.london@example.com",
        "applicant@example.com",
    ]:
        user = User.objects.get(email=email)
        assert user.check_password("medpath-demo")
        assert EmailAddress.objects.get(user=user, email=email).verified
    assert User.objects.get(email="staff@example.com").is_superuser
    assert User.objects.get(email="editor@example.com").groups.filter(name="Editors").exists()
