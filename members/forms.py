"""Staff forms for granting and ending entitlements by hand, and the members' pages' forms."""

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm

from core.dates import validate_supported_date
from members.models import (
    Entitlement,
    InterviewFormat,
    Language,
    Province,
    QuestionCategory,
    QuestionFormat,
    Route,
    YesNo,
)
from members.selectors import UNKNOWN_CHOICE


class EntitlementGrantForm(WagtailAdminModelForm):
    member_email = forms.EmailField(label="Member's email")

    class Meta:
        model = Entitlement
        fields = ["perk", "starts_at", "ends_at", "grant_reason"]
        labels = {"starts_at": "Starts", "ends_at": "Ends", "grant_reason": "Reason"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].validators.append(validate_supported_date)
        self.fields["grant_reason"].required = True
        self.fields["grant_reason"].help_text = "Why: kept with the grant, with your name."
        self.order_fields(["member_email", "perk", "starts_at", "ends_at", "grant_reason"])

    def clean_member_email(self):
        email = self.cleaned_data["member_email"]
        member = get_user_model().objects.filter(email__iexact=email).first()
        if member is None:
            raise forms.ValidationError("No account has this email address.")
        self.instance.member = member
        return email

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end must be after the start.")
        return cleaned


class EntitlementEndForm(forms.Form):
    reason = forms.CharField(
        max_length=300, help_text="Why access ends now: kept with the entitlement, with your name."
    )


# --- members' pages -------------------------------------------------------------------------

UNKNOWN_LABEL = "Check with the school"


def _choices(choices, *, unknown=True, any_label="Any"):
    options = [("", any_label), *choices]
    if unknown:
        options.append((UNKNOWN_CHOICE, f"Not known yet ({UNKNOWN_LABEL.lower()})"))
    return options


class SchoolFilterForm(forms.Form):
    """The school guide's filters (GET). An unknown value is a form error, never a 500."""

    province = forms.ChoiceField(choices=_choices(Province.choices, unknown=False), required=False)
    language = forms.ChoiceField(
        label="Language of instruction",
        choices=_choices([(Language.ENGLISH, "English"), (Language.FRENCH, "French")]),
        required=False,
        help_text="Bilingual schools match either language.",
    )
    route = forms.ChoiceField(
        label="Application route",
        choices=_choices([(Route.OMSAS, "OMSAS"), (Route.DIRECT, "Directly to the school")]),
        required=False,
    )
    program_years = forms.ChoiceField(
        label="MD program length",
        choices=_choices([("3", "3 years"), ("4", "4 years")]),
        required=False,
    )
    casper_required = forms.ChoiceField(
        label="CASPer required", choices=_choices(YesNo.choices), required=False
    )
    interview_format = forms.ChoiceField(
        choices=_choices([(InterviewFormat.MMI, "MMI"), (InterviewFormat.PANEL, "Panel")]),
        required=False,
        help_text="Schools that use both formats match either.",
    )

    def active_filters(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())


class CompareForm(forms.Form):
    """`?school=<slug>&school=<slug>`: two to four schools from the guide, side by side."""

    MAX = 4

    def __init__(self, data, *, schools_by_slug):
        super().__init__(data)
        self.slugs = data.getlist("school") if hasattr(data, "getlist") else []
        self.schools_by_slug = schools_by_slug
        self.schools = []

    def clean(self):
        slugs = list(dict.fromkeys(slug for slug in self.slugs if slug))
        if not slugs:
            raise forms.ValidationError("Choose the schools to compare (up to four).")
        if len(slugs) > self.MAX:
            raise forms.ValidationError(f"Compare at most {self.MAX} schools at a time.")
        unknown = [slug for slug in slugs if slug not in self.schools_by_slug]
        if unknown:
            raise forms.ValidationError("One of those schools is not in the guide.")
        self.schools = [self.schools_by_slug[slug] for slug in slugs]
        return {}


class ShortlistNotesForm(forms.Form):
    notes = forms.CharField(
        label="Your notes",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you and the coach of your school-selection session see these.",
    )


class QuestionFilterForm(forms.Form):
    format = forms.ChoiceField(
        choices=_choices(QuestionFormat.choices, unknown=False), required=False
    )
    category = forms.ChoiceField(
        choices=_choices(QuestionCategory.choices, unknown=False), required=False
    )
    favourites = forms.BooleanField(label="Only my favourites", required=False)


class FavouriteForm(forms.Form):
    favourite = forms.TypedChoiceField(
        choices=[("1", "Add"), ("0", "Remove")], coerce=lambda value: value == "1"
    )
