"""A coach's booking rules: each one's limits, default, label and help, written once.

The model's fields and validators (`booking.models.CoachSchedule`), the availability check
(`booking.availability.validate`), the coach's form (`booking.forms.RulesForm`) and the API
schema (`booking.api.RulesIO`) are all built from `RULES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator


@dataclass(frozen=True)
class Rule:
    field: str
    label: str
    unit: str
    low: int
    high: int
    default: int | None  # None: no limit (only an optional rule)
    help_text: str
    optional: bool = False

    @property
    def form_label(self) -> str:
        return f"{self.label} ({self.unit})"

    def validators(self) -> list:
        # A positive integer field already refuses negatives, so 0 needs no validator (and the
        # model's migration state stays what it was).
        low = [MinValueValidator(self.low)] if self.low > 0 else []
        return [*low, MaxValueValidator(self.high)]

    def problem(self, value) -> str | None:
        """Why `value` breaks this rule, for the user; None when it is fine."""
        if value is None and self.optional:
            return None
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not self.low <= value <= self.high
        ):
            empty = "empty or " if self.optional else ""
            return f"{self.label} must be {empty}a whole number from {self.low} to {self.high}."
        return None


RULES: tuple[Rule, ...] = (
    Rule(
        "slot_step_minutes",
        "Slot step",
        "minutes",
        5,
        240,
        30,
        "Sessions can start every this many minutes, counted from midnight your time.",
    ),
    Rule(
        "buffer_before_minutes",
        "Buffer before",
        "minutes",
        0,
        240,
        0,
        "Free time kept before each session.",
    ),
    Rule(
        "buffer_after_minutes",
        "Buffer after",
        "minutes",
        0,
        240,
        15,
        "Free time kept after each session.",
    ),
    Rule(
        "min_notice_hours",
        "Minimum notice",
        "hours",
        0,
        24 * 30,
        24,
        "Applicants cannot book a session starting sooner than this.",
    ),
    Rule(
        "booking_window_days",
        "Booking window",
        "days",
        1,
        365,
        60,
        "How far ahead applicants can book.",
    ),
    Rule(
        "daily_cap",
        "Daily cap",
        "sessions",
        1,
        24,
        None,
        "At most this many sessions on one day (your time); empty for no limit.",
        optional=True,
    ),
)

RULES_BY_FIELD: dict[str, Rule] = {rule.field: rule for rule in RULES}
RULE_FIELDS: list[str] = [rule.field for rule in RULES]


def model_field_kwargs(field: str) -> dict:
    """Keyword arguments for the `CoachSchedule` field of one rule."""
    rule = RULES_BY_FIELD[field]
    kwargs = {"validators": rule.validators(), "help_text": rule.help_text}
    if rule.optional:
        kwargs.update(null=True, blank=True)
    else:
        kwargs["default"] = rule.default
    return kwargs


# How many rows one save of a coach's availability may carry (form and API alike): a week of
# split days, a year of date overrides, and generous time off. Anything larger is refused
# before it is validated row by row.
MAX_WEEKLY_ROWS = 35
MAX_OVERRIDE_ROWS = 366
MAX_TIME_OFF_ROWS = 200
