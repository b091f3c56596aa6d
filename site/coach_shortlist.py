"""A school-selection session's page for its coach: the applicant's school shortlist.

Composed here because booking (the session) may not import members (the shortlist). Only the
booking's coach and coaching staff (`core.duties`) see it; for anyone else the session does not
exist (404), so public ids cannot be probed.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from booking.models import Booking
from core.duties import can_handle_coaching
from members.selectors import shortlist_for

PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,22}")


@login_required
@require_GET
def session_shortlist(request, public_id: str):
    if not PUBLIC_ID.fullmatch(public_id):  # never send NUL bytes and the like to SQL
        raise Http404("No such session.")
    booking = (
        Booking.objects.select_related("applicant", "service", "coach")
        .filter(public_id=public_id)
        .first()
    )
    if booking is None or not booking.service.shares_school_shortlist:
        raise Http404("No such session.")
    if not (can_handle_coaching(request.user) or booking.coach.user_id == request.user.pk):
        raise Http404("No such session.")
    context = {"booking": booking, "entries": shortlist_for(booking.applicant)}
    return render(request, "members/coach_shortlist.html", context)
