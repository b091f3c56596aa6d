"""Forms for webinars: hosts' attendance and recording, staff's set-up, move and cancel."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from coaching.models import Coach
from core.dates import RANGE_TEXT, is_supported
from webinars.models import Webinar


class AttendanceForm(forms.Form):
    """One checkbox per seat holder: ticked = came."""

    attended = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Who attended"
    )

    def __init__(self, *args, seats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(registration.pk), f"{registration.member} ({registration.member.email})")
            for registration in seats
        ]


class RecordingForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="Video file",
        help_text="MP4, WebM or Ogg. Kept privately: only members with webinars and staff see it.",
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm,video/ogg"}),
    )
    url = forms.URLField(
        required=False,
        max_length=500,
        label="Or a link to the recording",
        assume_scheme="https",
        help_text="Where it is hosted elsewhere (members follow the link; nothing is embedded).",
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError("Upload a video file or give a link, one of the two.")
        return cleaned


class CancelWebinarForm(forms.Form):
    reason = forms.CharField(
        max_length=300, help_text="Emailed to everyone registered and waiting."
    )


class WebinarAdminForm(WagtailAdminModelForm):
    """Staff set up or change a webinar; the start and end are typed in the host's zone."""

    join_url = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        label="Join URL",
        help_text="The video-call link; registered attendees see it from 15 minutes before.",
    )

    class Meta:
        model = Webinar
        fields = [
            "title",
            "description",
            "host",
            "co_hosts",
            "audience",
            "capacity",
            "join_url",
            "start",
            "end",
        ]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "co_hosts": forms.CheckboxSelectMultiple,
        }
        labels = {"start": "Start (host's time)", "end": "End (host's time)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Coach.objects.filter(active=True)
        self.fields["co_hosts"].queryset = Coach.objects.filter(active=True)
        self.fields["co_hosts"].required = False
        if self.instance.pk:
            zone = zoneinfo.ZoneInfo(self.instance.host.time_zone)
            for name in ("start", "end"):
                local = timezone.localtime(getattr(self.instance, name), zone)
                self.initial[name] = local.replace(tzinfo=None)

    def _host_zone(self):
        host = self.cleaned_data.get("host")
        return zoneinfo.ZoneInfo(host.time_zone if host else "UTC")

    def clean(self):
        cleaned = super().clean()
        zone = self._host_zone()
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value is None:
                continue
            if not is_supported(value):
                self.add_error(name, f"Pick a date {RANGE_TEXT}.")
                continue
            # Typed in the host's zone: reread the wall-clock time there.
            cleaned[name] = timezone.make_aware(value.replace(tzinfo=None), zone)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end must be after the start.")
        return cleaned
