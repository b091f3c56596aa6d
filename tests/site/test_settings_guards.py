"""Production refuses to start when it is missing what it needs to run safely."""

import os
import subprocess
import sys

import pytest

BASE_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "medpath.settings",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "medpath.example",
    "STRIPE_SECRET_KEY": "sk_live_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
    "BUSINESS_NAME": "Maple Admissions Coaching Ltd.",
    "BUSINESS_ADDRESS": "1 Bay Street; Toronto, ON  M5J 2T3",
    "BUSINESS_TAX_NUMBER": "876543216 RT0001",
}


def settings_error(**overrides) -> str:
    env = {**BASE_ENV, **overrides}
    env = {key: value for key, value in env.items() if value is not None}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return "" if result.returncode == 0 else result.stderr.strip().splitlines()[-1]


def test_complete_production_configuration_starts():
    assert settings_error() == ""


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set"),
        ("STRIPE_SECRET_KEY", "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET"),
        ("STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET is not"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    assert message in settings_error(**{missing: None})


def test_a_demo_site_may_opt_in_to_the_offline_checkout():
    assert (
        settings_error(
            STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=None, ALLOW_OFFLINE_CHECKOUT="1"
        )
        == ""
    )


@pytest.mark.parametrize("missing", ["BUSINESS_NAME", "BUSINESS_ADDRESS"])
def test_live_payments_refuse_to_start_on_the_demos_business_details(missing):
    assert "Live Stripe keys issue real receipts: set BUSINESS_NAME and BUSINESS_ADDRESS" in (
        settings_error(**{missing: None})
    )


def test_live_taxed_payments_refuse_to_start_without_a_real_tax_number():
    assert "BUSINESS_TAX_NUMBER (tax is charged" in settings_error(
        BUSINESS_TAX_NUMBER=None, STRIPE_TAX_MODE="rate", STRIPE_TAX_RATE_ID="txr_x"
    )
    assert "its check digit is wrong" in settings_error(BUSINESS_TAX_NUMBER="123456789 RT0001")


def test_test_mode_keys_and_demo_sites_run_on_the_demos_business_details():
    demo = {"BUSINESS_NAME": None, "BUSINESS_ADDRESS": None, "BUSINESS_TAX_NUMBER": None}
    assert settings_error(**demo, STRIPE_SECRET_KEY="sk_test_x") == ""
    assert (
        settings_error(
            **demo, STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=None, ALLOW_OFFLINE_CHECKOUT="1"
        )
        == ""
    )


def test_a_malformed_tax_number_is_refused_even_on_a_demo_site():
    assert "is not a GST/HST number like 123456789 RT0001" in settings_error(
        BUSINESS_TAX_NUMBER="12345 RT1", STRIPE_SECRET_KEY="sk_test_x"
    )
