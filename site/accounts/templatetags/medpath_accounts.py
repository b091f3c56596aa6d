from django import template
from django.urls import reverse

from medpath.accounts.roles import is_coach
from medpath.cms.navigation import MenuLink, aria_current

register = template.Library()


@register.simple_tag(takes_context=True)
def coach_menu_link(context) -> MenuLink | None:
    """The header's "Coach" item for coaches, else None; read from the session, no query."""
    request = context.get("request")
    if request is None or not is_coach(request):
        return None
    href = reverse("booking:coach_dashboard")
    return MenuLink("Coach", href, aria_current(href, request.path))
