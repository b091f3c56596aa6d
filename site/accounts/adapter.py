"""allauth's hooks for MedPath accounts: where people land after logging in, and emails that
link to the site's real address (`SITE_URL`).

allauth builds the links in its emails (confirm your address, reset your password, sign up)
from the request's host, which behind a proxy or on `runserver` need not be the address people
use. Before an email is rendered, every link to the host that served the request is moved onto
`SITE_URL`, and the templates get `site_url` as every other MedPath email does.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.urls import reverse

from core.redirects import back_to, is_local_path
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
        """Coaches start in their area (/coach/), editors and staff (whoever may use the
        Wagtail admin) in /admin/, applicants on the dashboard.

        A coach who is also staff starts in the coach area: sessions are the daily work and
        the header leads to the admin. A safe `next` always wins: allauth only asks this
        when there is none.
        """
        if is_coach(request):
            return reverse("booking:coach_dashboard")
        if request.user.has_perm("wagtailadmin.access_admin"):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """The confirmation link carries the `next` of the sign-up (or log-in) that sent it.

        In the browser that signed up, allauth resumes that sign-up and goes to `next` anyway;
        opened on another device, where nothing of the sign-up is known, the link still leads
        back (to the slot picker, which then says the chosen time was not kept there).
        """
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = back_to(request, default="") if request else ""
        if next_url:
            url = f"{url}?{urlencode({'next': next_url})}"
        return url

    def is_safe_url(self, url: str) -> bool:
        """allauth follows a `next` (log in, sign up, log out, passwords, the admin's login)
        only when it is a path on this site: the project's one rule, `core.redirects`."""
        return is_local_path(url)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        if request is not None:
            host = request.get_host()
            context = {key: on_site_url(value, request_host=host) for key, value in context.items()}
        super().send_mail(template_prefix, email, {**context, "site_url": settings.SITE_URL})
