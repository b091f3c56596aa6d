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
