from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from coaching.timezones import validate_time_zone, zone_choices
from medpath.accounts.models import DEFAULT_TIME_ZONE


class SignupForm(AllauthSignupForm):
    """allauth's signup plus the two things we need to serve someone: a name and a time zone."""

    display_name = forms.CharField(
        label="Your name", max_length=120, required=False, help_text="Optional. How we address you."
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=zone_choices,
        initial=DEFAULT_TIME_ZONE,
        help_text="Session times are shown in this zone. You can change it later.",
    )

    field_order = ["email", "display_name", "time_zone", "password1", "password2"]

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"]
        validate_time_zone(value)
        return value

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data.get("display_name", "")
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])
        return user
