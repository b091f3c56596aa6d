"""Admin forms for the catalogue: prices typed in dollars, package contents checked as a whole.

The models keep integer cents; editors type dollars and cents ("345" or "345.00"), which the
forms convert. Messages are written for editors, not developers.
"""

from decimal import Decimal

from django import forms
from django.forms.utils import ErrorList
from wagtail.admin.forms import WagtailAdminModelForm

from coaching.models import Coach, Package, PerkKind, Service
from core.money import cents_to_dollars, dollars_to_cents
from core.timezones import grouped_zone_choices, initial_zone

MAX_PRICE = Decimal("100000.00")
NO_ITEMS_MESSAGE = "Add at least one session or review to the package."
PRICE_HELP = "In Canadian dollars, before tax, e.g. 345 or 345.00."


def dollars_field(*, label: str, required: bool, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_PRICE,
        help_text=help_text,
        error_messages={
            "required": "Enter a price, e.g. 345.00.",
            "min_value": "The price must be more than zero.",
            "max_value": "That price looks too high; enter it in dollars, e.g. 345.00.",
            "max_decimal_places": "Enter whole cents at most, e.g. 345.50.",
            "invalid": "Enter the price as a number in dollars, e.g. 345.00.",
        },
    )


class ServiceAdminForm(WagtailAdminModelForm):
    single_price = dollars_field(
        label="Price on its own",
        required=False,
        help_text=PRICE_HELP + " Leave empty if the service is sold only in packages.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.single_price_cents:
            self.initial.setdefault(
                "single_price", cents_to_dollars(self.instance.single_price_cents)
            )

    def clean(self):
        cleaned_data = super().clean()
        if "single_price" in self.fields and "single_price" not in self.errors:
            price = cleaned_data.get("single_price")
            self.instance.single_price_cents = dollars_to_cents(price) if price else None
        return cleaned_data

    def clean_slug(self):
        return _unique_slug(self, Service, "service")


class PackageAdminForm(WagtailAdminModelForm):
    price = dollars_field(label="Price", required=True, help_text=PRICE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.price_cents:
            self.initial.setdefault("price", cents_to_dollars(self.instance.price_cents))

    def clean_slug(self):
        return _unique_slug(self, Package, "package")

    def clean(self):
        cleaned_data = super().clean()
        if "price" in self.fields and cleaned_data.get("price") is not None:
            self.instance.price_cents = dollars_to_cents(cleaned_data["price"])
        return cleaned_data

    def is_valid(self):
        valid = super().is_valid()
        items = self.formsets.get("items")
        if items is None or not self.is_bound:
            return valid
        perks = self.formsets.get("perks")
        for formset, check in ((items, self._items_problem), (perks, self._perks_problem)):
            problem = check(formset)
            if problem:
                # Replace the formset's generic messages ("Please submit at least 1 form.",
                # "Please correct the duplicate data…") with one an editor can act on.
                formset._non_form_errors = ErrorList([problem], error_class="nonform")
                self.add_error(None, problem)
                return False
        return valid

    @staticmethod
    def _items_problem(items) -> str | None:
        chosen = []  # raw service ids of the rows that stay, read before any row validation
        for form in items.forms:
            if items.can_delete and items._should_delete_form(form):
                continue
            service_id = form["service"].value()
            if service_id:
                chosen.append(str(service_id))
        if not chosen:
            return NO_ITEMS_MESSAGE
        repeated = {pk for pk in chosen if chosen.count(pk) > 1}
        if repeated:
            names = ", ".join(
                f"“{name}”"
                for name in Service.objects.filter(pk__in=repeated).values_list("name", flat=True)
            )
            return (
                f"{names} is listed more than once. Keep one line per session or review "
                "and raise its quantity instead."
            )
        return None

    @staticmethod
    def _perks_problem(perks) -> str | None:
        if perks is None:
            return None
        perks.full_clean()  # the form's own validation may have stopped before this formset
        kinds = []
        for form in perks.forms:
            if perks.can_delete and perks._should_delete_form(form):
                continue
            kind = form["kind"].value()
            if kind:
                kinds.append(kind)
        repeated = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if repeated:
            labels = ", ".join(f"“{PerkKind(kind).label}”" for kind in repeated)
            return f"{labels} is unlocked by more than one perk line. Keep one line per kind."
        return None


class CoachAdminForm(WagtailAdminModelForm):
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=lambda: [("", "Choose the coach’s time zone…"), *grouped_zone_choices()],
        help_text="Where the coach works from; their weekly hours are in this zone.",
        error_messages={
            "required": "Choose the coach’s time zone.",
            "invalid_choice": "“%(value)s” is not a time zone we know. Pick one from the list, "
            "such as America/Toronto.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # A zone saved under an old name (US/Eastern) is shown as its current one.
            self.initial["time_zone"] = initial_zone(self.instance.time_zone)
            self.fields["time_zone"].choices = [
                ("", "Choose the coach’s time zone…"),
                *grouped_zone_choices(include=self.instance.time_zone),
            ]

    def clean_slug(self):
        return _unique_slug(self, Coach, "coach")

    def clean_user(self):
        user = self.cleaned_data["user"]
        other = Coach.objects.filter(user=user).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise forms.ValidationError(
                f"{user.email} already has a coach profile ({other}). Each login has one profile.",
                code="unique",
            )
        return user


def _unique_slug(form, model, noun: str) -> str:
    slug = form.cleaned_data["slug"]
    taken = model.objects.filter(slug=slug).exclude(pk=form.instance.pk)
    if slug and taken.exists():
        raise forms.ValidationError(
            f"Another {noun} already uses the address “{slug}”. Choose a different slug.",
            code="unique",
        )
    return slug
