"""The one gate for members' content: who gets in, and what everyone else sees instead.

The rule, written once here for every page, file and CMS page gated on a perk:
- In: holders of the perk (`members.access.has_perk`; staff hold every perk), editors
  previewing a page in the admin (`request.is_preview`), and whoever the page's own rule lets
  in (`allow`: a webinar's hosts, a registration). Nobody else, whatever the page.
- Everyone else gets the members' panel in the content's place: what it is, which packages
  include it and how to get in (buy, or log in). It reads the same wherever someone meets a
  locked door, because every page renders it from `perk_panel` and
  `members/includes/perk_panel.html`.
- Reading a page (GET, HEAD) with the panel answers 200: the panel is then the perk's sales
  page, as a library page's teaser is, and search engines drop a 403. A write (a shortlist, a
  favourite) and a file (a document, a recording) are refused with 403.

Whole pages use `perk_required` (or `perk_gate` where the view must first look at something);
pages with a public part (a resource's teaser, the library's list, a webinar's page) put
`perk_panel` where the members' part would be and answer `panel_status`.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.shortcuts import render, resolve_url
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from coaching.models import PerkKind
from members.access import has_perk
from members.selectors import packages_with_perk

PANEL_PAGE = "members/perk_required.html"

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


def gate_open(request, perk: str, *, allow: bool = False) -> bool:
    """May this request have content gated on `perk`? (The rule above: the perk, staff, an
    editor's preview, or the page's own `allow`.)"""
    return allow or getattr(request, "is_preview", False) or has_perk(request.user, perk)


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


def perk_panel(request, perk: str, *, allow: bool = False):
    """None when the request may have the content gated on `perk`; otherwise the panel to show
    in its place (its context, built only when a template reads it), as `panel` for
    `members/includes/perk_panel.html`."""
    if gate_open(request, perk, allow=allow):
        return None
    return SimpleLazyObject(lambda: perk_panel_context(request, perk))


def panel_status(request, *, file: bool = False) -> int:
    """The status of a response that shows the panel instead of the content: 200 for reading
    a page (the sales page), 403 for a write or a file."""
    return 200 if request.method in ("GET", "HEAD") and not file else 403


def perk_gate(request, perk: str, *, title: str = "", allow: bool = False, file: bool = False):
    """The whole-page gate: None when the request may go on to the content; otherwise the
    panel page (`title`, default the perk's name) with the status `panel_status` gives."""
    panel = perk_panel(request, perk, allow=allow)
    if panel is None:
        return None
    context = {"title": title or PerkKind(perk).label, "panel": panel}
    return render(request, PANEL_PAGE, context, status=panel_status(request, file=file))


def perk_required(perk: str, *, title: str = ""):
    """A view for those `perk_gate` lets in; everyone else gets the panel page instead, and the
    view itself never runs, so nothing of the members' content reaches them."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            refused = perk_gate(request, perk, title=title)
            return refused if refused is not None else view(request, *args, **kwargs)

        return wrapper

    return decorator
