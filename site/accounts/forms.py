from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError

from medpath.accounts import services
from medpath.accounts.models import DEFAULT_TIME_ZONE
from medpath.accounts.timezones import validate_time_zone, zone_choices

TIME_ZONE_HELP = (
    "Session times are shown in this zone. Pick the city you will be in for your sessions."
)


def time_zone_field(**kwargs) -> forms.ChoiceField:
    """A `<select>` of IANA zones that the timezone-suggest script can offer the browser's zone for."""
    return forms.ChoiceField(
        label="Time zone",
        choices=zone_choices,
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


class LoginForm(AllauthLoginForm):
    """allauth's login with plainer labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this device"
        for field in self.fields.values():
            # Visible labels make placeholders repeating them redundant noise.
            field.widget.attrs.pop("placeholder", None)


class SignupForm(AllauthSignupForm):
    """allauth's signup plus the two things we need to serve someone: a name and a time zone."""

    display_name = display_name_field()
    time_zone = time_zone_field(initial=DEFAULT_TIME_ZONE)

    field_order = ["email", "display_name", "time_zone", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "You will log in with this address."
        self.fields["password2"].label = "Password (again)"
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

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
            "initial", {"display_name": user.display_name, "time_zone": user.time_zone}
        )
        super().__init__(*args, **kwargs)

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
