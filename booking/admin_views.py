"""Staff page in the Wagtail admin: cancel (credit returned) or move any booking (coaching staff,
`core.duties`)."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from booking import services
from booking.models import Booking, BookingStatus
from core.dates import validate_supported_date
from core.duties import can_handle_coaching
from core.errors import errors_shown_on
from core.history import timeline


class StaffCancelForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="Sent to the applicant and the coach.")


class StaffMoveForm(forms.Form):
    new_start = forms.DateTimeField(
        label="New start (coach's time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Any time that overlaps none of the coach's other sessions.",
        validators=[validate_supported_date],
    )


def manage_booking(request, public_id: str):
    if not can_handle_coaching(request.user):
        raise PermissionDenied
    booking = get_object_or_404(
        Booking.objects.select_related("service", "coach", "applicant"), public_id=public_id
    )
    zone = zoneinfo.ZoneInfo(booking.coach.time_zone)
    cancel_form, move_form = StaffCancelForm(prefix="cancel"), StaffMoveForm(prefix="move")
    if request.method == "POST":
        with timezone.override(zone):  # the new start is typed in the coach's time
            if "cancel" in request.POST:
                cancel_form = StaffCancelForm(request.POST, prefix="cancel")
                form, action = cancel_form, "cancel"
            else:
                move_form = StaffMoveForm(request.POST, prefix="move")
                form, action = move_form, "move"
            if form.is_valid():
                with errors_shown_on(form):
                    if action == "cancel":
                        services.booking_cancel(
                            booking=booking,
                            actor=request.user,
                            reason=form.cleaned_data["reason"],
                            by_staff=True,
                        )
                        messages.success(request, "Booking cancelled; the credit is returned.")
                    else:
                        services.booking_reschedule(
                            booking=booking,
                            actor=request.user,
                            new_start=form.cleaned_data["new_start"],
                            by_staff=True,
                        )
                        messages.success(request, "Booking moved; both people are emailed.")
                    return redirect("booking_staff_manage", public_id=booking.public_id)
    return TemplateResponse(
        request,
        "booking/admin/manage_booking.html",
        {
            "booking": booking,
            "coach_zone": zone.key,
            "cancel_form": cancel_form,
            "move_form": move_form,
            "can_change": booking.status in (BookingStatus.CONFIRMED, BookingStatus.HELD),
            "can_move": booking.status == BookingStatus.CONFIRMED,
            "history": timeline(booking, staff=True),
            "header_title": f"Booking {booking.public_id}",
        },
    )
