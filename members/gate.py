"""What a person without the perk sees instead of members' content: one panel everywhere.

The panel says what the content is, which packages include it and how to get in (buy, or log
in). Members' pages, documents and the CMS's gated pages all use it, so it reads the same
wherever someone meets a locked door.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.shortcuts import render, resolve_url
from django.utils.http import urlencode

from coaching.models import PerkKind
from members.access import has_perk
from members.selectors import packages_with_perk

PERK_DESCRIPTIONS = {
    PerkKind.SCHOOL_GUIDE: "Admission facts for every Canadian MD school: filter, compare side "
    "by side and keep a shortlist with your own notes.",
    PerkKind.RESOURCE_LIBRARY: "E-books, worksheets and guides written by MedPath coaches.",
    PerkKind.QUESTION_BANK: "Interview questions for MMI stations, panels and MPIs, each with a "
    "coach's note on what a strong answer covers.",
    PerkKind.PRACTICE_TESTS: "Timed CASPer-style practice tests.",
    PerkKind.WEBINARS: "Live webinars and their recordings.",
    PerkKind.APPLICATION_REVISIONS: "Unlimited revision rounds on your application documents.",
}


def perk_panel_context(request, perk: str) -> dict:
    """What the panel needs: the perk, the packages that include it and the way in."""
    user = request.user
    login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
    return {
        "perk_label": PerkKind(perk).label,
        "perk_description": PERK_DESCRIPTIONS.get(perk, ""),
        "perk_packages": packages_with_perk(perk),
        "login_url": None if user.is_authenticated else login_url,
    }


def perk_panel_response(request, perk: str, *, title: str = "", status: int = 403):
    context = perk_panel_context(request, perk)
    context["title"] = title or context["perk_label"]
    return render(request, "members/perk_required.html", context, status=status)


def perk_required(perk: str, *, title: str = ""):
    """A view for members with `perk` (staff too); everyone else gets the panel instead, and
    the view itself never runs, so nothing of the members' content reaches them.

    Reading (GET, HEAD) answers 200: the panel is then the sales page for the perk (what it is,
    the packages that include it, prices, log in), as a library page's teaser is, and a 403 page
    is dropped by search engines. A write (a shortlist, a favourite) is refused with 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_perk(request.user, perk):
                status = 200 if request.method in ("GET", "HEAD") else 403
                return perk_panel_response(request, perk, title=title, status=status)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
