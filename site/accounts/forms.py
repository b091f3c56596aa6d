from allauth.account import forms as allauth_forms
from allauth.core import context
from django import forms
from django.core.exceptions import ValidationError

from core.timezones import (
    grouped_zone_choices,
    initial_zone,
    validate_time_zone,
    zone_from_languages,
)
from medpath.accounts import services
from medpath.accounts.models import DEFAULT_TIME_ZONE

TIME_ZONE_HELP = (
    "Session times are shown in this zone. Pick the city you will be in for your sessions."
)


def time_zone_field(**kwargs) -> forms.ChoiceField:
    """A `<select>` of the current IANA zones, labelled "India (Kolkata) · GMT+5:30" and grouped
    by region, that the timezone-suggest script can offer (or preselect) the browser's zone in."""
    return forms.ChoiceField(
        label="Time zone",
        choices=grouped_zone_choices,
        help_text=TIME_ZONE_HELP,
        # The JS module looks for this attribute; `error_messages` keeps an unknown zone readable.
        widget=forms.Select(attrs={"data-timezone-suggest": "", "autocomplete": "off"}),
        error_messages={
            "invalid_choice": "“%(value)s” is not a time zone we know. Pick a zone such as America/Toronto."
        },
        **kwargs,
    )


def display_name_field() -> forms.CharField:
    return forms.CharField(
        label="Your name",
        max_length=120,
        required=False,
        help_text="How coaches and our emails address you.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class PlainLabelsMixin:
    """Give allauth's fields the site's sentence-case labels: `labels` maps field name to label."""

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            if name in self.fields:
                self.fields[name].label = label


class LoginForm(PlainLabelsMixin, allauth_forms.LoginForm):
    labels = {"login": "Email address", "remember": "Keep me logged in on this device"}


class AddEmailForm(PlainLabelsMixin, allauth_forms.AddEmailForm):
    labels = {"email": "Email address"}


class ResetPasswordForm(PlainLabelsMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": "Email address"}


class ChangePasswordForm(PlainLabelsMixin, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "New password (again)",
    }


class SetPasswordForm(PlainLabelsMixin, allauth_forms.SetPasswordForm):
    labels = {"password1": "New password", "password2": "New password (again)"}


class ResetPasswordKeyForm(PlainLabelsMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "New password (again)"}


class SignupForm(PlainLabelsMixin, allauth_forms.SignupForm):
    """allauth's signup plus the two things we need to serve someone: a name and a time zone."""

    display_name = display_name_field()
    time_zone = time_zone_field()

    field_order = ["email", "display_name", "time_zone", "password1", "password2"]
    labels = {"email": "Email address", "password2": "Password (again)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "You will log in with this address."
        if not self.is_bound:
            # The script selects the zone the browser reports; until it runs (or without it),
            # the country of the browser's language when it has one zone, else Toronto.
            request = context.request
            languages = request.headers.get("Accept-Language", "") if request else ""
            self.fields["time_zone"].initial = zone_from_languages(languages, DEFAULT_TIME_ZONE)
            self.fields["time_zone"].widget.attrs["data-timezone-suggest"] = "preselect"

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"]
        validate_time_zone(value)
        return value

    def save(self, request):
        user = super().save(request)
        services.user_update_profile(
            user=user,
            display_name=self.cleaned_data.get("display_name", ""),
            time_zone=self.cleaned_data["time_zone"],
        )
        return user


class ProfileForm(forms.Form):
    """What a signed-in person can change about themselves (email and password have their own pages)."""

    display_name = display_name_field()
    time_zone = time_zone_field()

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial",
            {"display_name": user.display_name, "time_zone": initial_zone(user.time_zone)},
        )
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = grouped_zone_choices(include=user.time_zone)

    def save(self):
        try:
            return services.user_update_profile(
                user=self.user,
                display_name=self.cleaned_data["display_name"],
                time_zone=self.cleaned_data["time_zone"],
            )
        except ValidationError as error:
            self.add_error(None, error)
            return None
