"""A coach's rule limits and defaults are written once (booking.rules) and used everywhere."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from booking.api import RulesIO
from booking.availability import AvailabilityData, validate
from booking.errors import AvailabilityError
from booking.forms import RulesForm
from booking.models import CoachSchedule
from booking.rules import RULES

DEFAULTS = {rule.field: rule.default for rule in RULES}


def form_data(**changes):
    return {k: "" if v is None else str(v) for k, v in {**DEFAULTS, **changes}.items()}


def test_model_form_and_api_schema_share_the_defaults():
    schedule = CoachSchedule()
    assert {rule.field: getattr(schedule, rule.field) for rule in RULES} == DEFAULTS
    assert RulesIO().dict() == DEFAULTS
    assert RulesForm(instance=schedule).initial == DEFAULTS


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.field)
def test_every_layer_accepts_the_limits_and_refuses_one_beyond(rule, db):
    properties = RulesIO.model_json_schema()["properties"][rule.field]
    widget = RulesForm().fields[rule.field].widget.attrs
    assert (widget["min"], widget["max"]) == (rule.low, rule.high)
    assert str(rule.high) in str(properties) and str(rule.low) in str(properties)
    for value in (rule.low, rule.high):
        RulesIO(**{rule.field: value})
        validate(AvailabilityData(rules={**DEFAULTS, rule.field: value}))
        CoachSchedule(**{rule.field: value}).clean_fields(exclude=["coach"])
    for value in (rule.low - 1, rule.high + 1):
        with pytest.raises(ValueError):
            RulesIO(**{rule.field: value})
        with pytest.raises(AvailabilityError):
            validate(AvailabilityData(rules={**DEFAULTS, rule.field: value}))
        if value >= 0:  # negatives are refused by the positive integer field's own range
            with pytest.raises(ValidationError):
                CoachSchedule(**{rule.field: value}).clean_fields(exclude=["coach"])
            assert not RulesForm(
                form_data(**{rule.field: value}), instance=CoachSchedule()
            ).is_valid()


def test_api_refuses_a_rule_beyond_its_limit_with_a_400(coach, now):
    client = Client()
    client.force_login(coach.user)
    payload = {
        "rules": {"booking_window_days": 366},
        "weekly_hours": [],
        "overrides": [],
        "time_off": [],
    }
    response = client.put("/api/v1/coach/availability", payload, content_type="application/json")
    assert response.status_code == 400
    assert coach.weekly_hours.count() == 7
