"""What any app may ask about a person's login. The accounts themselves (the user model,
sign-up, the allauth forms) live in `medpath.accounts`, the top layer, so the lower apps ask
here."""

from allauth.account.models import EmailAddress


def has_verified_email(user) -> bool:
    """Whether `user` has confirmed at least one email address (allauth's verification link):
    what buying and registering for a free webinar require. One query; False for anonymous."""
    if user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()
