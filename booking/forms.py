"""Forms for the coach's availability page (server-rendered formsets) and booking actions."""

from django import forms
from django.forms import formset_factory

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


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class WeeklyHoursForm(forms.Form):
    # The blank choice keeps an untouched extra row "unchanged", so it is skipped, not an error.
    weekday = forms.TypedChoiceField(choices=[("", "Day…"), *Weekday.choices], coerce=int)
    start = forms.TimeField(widget=TimeInput())
    end = forms.TimeField(widget=TimeInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError("The end must be after the start.")
        return data


class OverrideForm(forms.Form):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_supported_date]
    )
    start = forms.TimeField(
        required=False, widget=TimeInput(), help_text="Leave both times empty for a day off."
    )
    end = forms.TimeField(required=False, widget=TimeInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both a start and an end, or neither for a day off.")
        if start and end and end <= start:
            raise forms.ValidationError("The end must be after the start.")
        return data


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class TimeOffForm(forms.Form):
    """Interpreted in the coach's zone (the view activates it), stored in UTC."""

    start = forms.DateTimeField(widget=DateTimeLocalInput(), validators=[validate_supported_date])
    end = forms.DateTimeField(widget=DateTimeLocalInput(), validators=[validate_supported_date])
    reason = forms.CharField(max_length=120, required=False)

    def clean(self):
        data = super().clean()
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
