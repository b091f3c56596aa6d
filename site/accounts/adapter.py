"""allauth's hooks for MedPath accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from medpath.accounts.roles import is_coach


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """Coaches start in their area (/coach/), everyone else on the dashboard.

        A safe `next` always wins: allauth only asks this when there is none.
        """
        if is_coach(request):
            return reverse("booking:coach_dashboard")
        return super().get_login_redirect_url(request)
