"""Forms for the coach's availability page (server-rendered formsets) and booking actions."""

import re
from datetime import datetime

from django import forms
from django.forms import formset_factory
from django.forms.utils import from_current_timezone

from booking.models import CoachSchedule, Weekday
from booking.policy import GivesBack
from booking.rules import MAX_OVERRIDE_ROWS, MAX_TIME_OFF_ROWS, MAX_WEEKLY_ROWS, RULE_FIELDS, RULES
from core.dates import validate_supported_date


class RulesForm(forms.ModelForm):
    """The coach's rules; limits and labels from `booking.rules.RULES` (the model's validators
    check the values, the inputs carry the same min and max for the browser)."""

    class Meta:
        model = CoachSchedule
        fields = RULE_FIELDS
        labels = {rule.field: rule.form_label for rule in RULES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rule in RULES:
            self.fields[rule.field].widget.attrs.update(min=rule.low, max=rule.high)


TIME_24H_ERROR = "Enter a time on the 24-hour clock, such as 09:00 or 17:30."
# "9:00", "09.00", "9h00", "0900" → "9:00"; anything else is left for the error message.
_TIME_SEPARATORS = re.compile(r"^\s*(\d{1,2})\s*[:.,hH]?\s*(\d{2})\s*$")


class TimeInput(forms.TimeInput):
    """A time typed on the 24-hour clock (HH:MM).

    A text box, not `<input type="time">`: Chromium and others draw that one in the language of
    the visitor's system, which shows AM/PM to many coaches whatever the page says.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": "HH:MM",
            "inputmode": "decimal",  # phones offer digits and a separator
            "autocomplete": "off",
            "size": "5",
            "maxlength": "5",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%H:%M")


class Time24Field(forms.TimeField):
    """HH:MM on the 24-hour clock; 9:00, 09.00, 9h00 and 0900 are read as 09:00."""

    widget = TimeInput
    default_error_messages = {"invalid": TIME_24H_ERROR}

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%H:%M"], **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = _TIME_SEPARATORS.sub(r"\1:\2", value)
        return super().to_python(value)


class WeeklyHoursForm(forms.Form):
    # The blank choice keeps an untouched extra row "unchanged", so it is skipped, not an error.
    weekday = forms.TypedChoiceField(choices=[("", "Day…"), *Weekday.choices], coerce=int)
    start = Time24Field()
    end = Time24Field()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError("The end must be after the start.")
        return data


class OverrideForm(forms.Form):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_supported_date]
    )
    start = Time24Field(required=False, help_text="Leave both times empty for a day off.")
    end = Time24Field(required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both a start and an end, or neither for a day off.")
        if start and end and end <= start:
            raise forms.ValidationError("The end must be after the start.")
        return data


def _date_field(**kwargs) -> forms.DateField:
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_supported_date],
        **kwargs,
    )


class TimeOffForm(forms.Form):
    """A date and a 24-hour time for each end, read in the coach's zone (the view activates
    it); `clean()` adds them up as aware `start` and `end`, stored in UTC."""

    start_date = _date_field(label="Start date")
    start_time = Time24Field(label="Start time")
    end_date = _date_field(label="End date")
    end_time = Time24Field(label="End time")
    reason = forms.CharField(max_length=120, required=False)

    @classmethod
    def initial_for(cls, *, start: datetime, end: datetime, reason: str) -> dict:
        """The form's initial values for a saved period (aware, in the coach's zone)."""
        return {
            "start_date": start.date(),
            "start_time": start.time(),
            "end_date": end.date(),
            "end_time": end.time(),
            "reason": reason,
        }

    def clean(self):
        data = super().clean()
        for end in ("start", "end"):
            day, clock = data.get(f"{end}_date"), data.get(f"{end}_time")
            if day is not None and clock is not None:
                try:
                    data[end] = from_current_timezone(datetime.combine(day, clock))
                except forms.ValidationError:
                    self.add_error(
                        f"{end}_time",
                        "The clocks change at this time in your zone (it is skipped or happens "
                        "twice); choose a time an hour earlier or later.",
                    )
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError("Time off must end after it starts.")
        return data


def _bounded_formset(form, *, extra: int, most: int):
    """Rows beyond `most` are a form error; a forged TOTAL_FORMS cannot make Django build
    thousands of forms (absolute_max)."""
    return formset_factory(
        form, extra=extra, can_delete=True, max_num=most, validate_max=True, absolute_max=most
    )


WeeklyHoursFormSet = _bounded_formset(WeeklyHoursForm, extra=2, most=MAX_WEEKLY_ROWS)
OverrideFormSet = _bounded_formset(OverrideForm, extra=1, most=MAX_OVERRIDE_ROWS)
TimeOffFormSet = _bounded_formset(TimeOffForm, extra=1, most=MAX_TIME_OFF_ROWS)


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Reason (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # What the confirmation page said cancelling gives back; the cancel refuses if that changed.
    expected = forms.TypedChoiceField(
        choices=[(value.value, value.value) for value in GivesBack],
        coerce=GivesBack,
        required=False,
        empty_value=None,
        widget=forms.HiddenInput,
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("completed", "Completed"), ("no_show", "No-show")])
