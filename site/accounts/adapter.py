"""allauth's hooks for MedPath accounts."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from medpath.accounts.roles import is_coach


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """Coaches start in their area (/coach/), everyone else on the dashboard.

        A safe `next` always wins: allauth only asks this when there is none.
        """
        if is_coach(request):
            return reverse("booking:coach_dashboard")
        return super().get_login_redirect_url(request)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """The confirmation link carries the `next` of the sign-up (or log-in) that sent it.

        In the browser that signed up, allauth resumes that sign-up and goes to `next` anyway;
        opened on another device, where nothing of the sign-up is known, the link still leads
        back (to the slot picker, which then says the chosen time was not kept there).
        """
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = (request.POST.get("next") or request.GET.get("next")) if request else ""
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            url = f"{url}?{urlencode({'next': next_url})}"
        return url
