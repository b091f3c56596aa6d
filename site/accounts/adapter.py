"""allauth's hooks for MedPath accounts: where people land after logging in, and emails that
link to the site's real address (`SITE_URL`).

allauth builds the links in its emails (confirm your address, reset your password, sign up)
from the request's host, which behind a proxy or on `runserver` need not be the address people
use. Before an email is rendered, every link to the host that served the request is moved onto
`SITE_URL`, and the templates get `site_url` as every other MedPath email does.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.urls import reverse

from medpath.accounts.roles import is_coach


def on_site_url(value, *, request_host: str):
    """`value` with the scheme and host of SITE_URL if it is a link to `request_host`."""
    if not isinstance(value, str) or "://" not in value:
        return value
    parts = urlsplit(value)
    if parts.netloc != request_host:
        return value
    site = urlsplit(settings.SITE_URL)
    return urlunsplit(
        (site.scheme, site.netloc, site.path.rstrip("/") + parts.path, parts.query, parts.fragment)
    )


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """Coaches start in their area (/coach/), everyone else on the dashboard.

        A safe `next` always wins: allauth only asks this when there is none.
        """
        if is_coach(request):
            return reverse("booking:coach_dashboard")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        if request is not None:
            host = request.get_host()
            context = {key: on_site_url(value, request_host=host) for key, value in context.items()}
        super().send_mail(template_prefix, email, {**context, "site_url": settings.SITE_URL})
