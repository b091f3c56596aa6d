"""Staff forms for granting and ending entitlements by hand."""

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm

from core.dates import validate_supported_date
from members.models import Entitlement


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
