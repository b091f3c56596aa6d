"""One log line per request with its id, and Sentry only when configured."""

import logging
import os
import re
import subprocess
import sys

import pytest

from medpath.observability import SANE_REQUEST_ID, request_id_from
from tests.factories import UserFactory

LINE = re.compile(
    r"method=(?P<method>\S+) "
    r'path=(?P<path>"(?:[^"\\]|\\.)*"|\S+) '
    r"status=(?P<status>\d+) "
    r"duration_ms=(?P<duration>\d+\.\d) user_id=(?P<user>\S+) request_id=(?P<id>\S+)"
)


def request_lines(caplog):
    return [
        LINE.fullmatch(record.getMessage())
        for record in caplog.records
        if record.name == "medpath.request"
    ]


def test_each_request_logs_one_line_with_method_path_status_duration_user_and_id(client, caplog):
    caplog.set_level(logging.INFO, logger="medpath.request")
    response = client.get("/healthz")
    (line,) = request_lines(caplog)
    assert line is not None
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == "200"
    assert float(line["duration"]) >= 0
    assert line["user"] == "-"
    assert line["id"] == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["id"])


@pytest.mark.django_db
def test_logged_in_request_logs_the_user_id_and_404s_their_status(client, caplog):
    user = UserFactory()
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="medpath.request")
    client.get("/no-such-page/")
    (line,) = request_lines(caplog)
    assert line["user"] == str(user.pk)
    assert line["status"] == "404"


def test_a_sane_incoming_request_id_is_kept_and_echoed(client, caplog):
    caplog.set_level(logging.INFO, logger="medpath.request")
    response = client.get("/healthz", headers={"X-Request-ID": "Root=1-67a-abc_def.9"})
    assert response["X-Request-ID"] == "Root=1-67a-abc_def.9"
    assert request_lines(caplog)[0]["id"] == "Root=1-67a-abc_def.9"


@pytest.mark.parametrize(
    "incoming",
    ["", "x" * 129, "has space", 'quote"d', "new\nline request_id=forged", "-starts-with-dash"],
)
def test_an_insane_incoming_request_id_is_replaced_by_a_new_one(incoming):
    request_id = request_id_from({"HTTP_X_REQUEST_ID": incoming})
    assert request_id != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert SANE_REQUEST_ID.fullmatch(request_id)


@pytest.mark.django_db
def test_a_path_with_spaces_or_quotes_is_quoted_so_the_line_stays_parseable(client, caplog):
    caplog.set_level(logging.INFO, logger="medpath.request")
    client.get('/a path/"x"')
    (line,) = request_lines(caplog)
    assert line["path"] == r'"/a path/\"x\""'


def test_other_log_lines_of_a_request_carry_its_id(client, caplog, monkeypatch):
    from medpath import views
    from medpath.observability import RequestIdFilter

    def noisy_check():
        logging.getLogger("medpath.views").warning("checking")

    monkeypatch.setattr(views, "_check_cache", noisy_check)
    caplog.handler.addFilter(RequestIdFilter())
    response = client.get("/readyz", headers={"X-Request-ID": "abc123"})
    (record,) = [r for r in caplog.records if r.getMessage() == "checking"]
    assert record.request_id == "abc123" == response["X-Request-ID"]


def _settings_probe(extra_env: dict) -> str:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "medpath.settings",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "medpath.example",
        "ALLOW_OFFLINE_CHECKOUT": "1",
        **extra_env,
    }
    code = (
        "import sys, django; django.setup(); import sentry_sdk; from django.conf import settings; "
        "client = sentry_sdk.get_client(); "
        "print(settings.SENTRY_ENABLED, client.is_active(), 'sentry_sdk.integrations.django' in sys.modules, "
        "client.options.get('send_default_pii'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_error_reporting_is_off_without_a_dsn():
    assert _settings_probe({}) == "False False False None"


def test_a_dsn_turns_on_sentry_with_the_django_integration_and_no_personal_data():
    # A DSN of the right form; nothing is sent, since no event happens during set-up.
    dsn = "https://public@sentry.invalid/1"
    assert _settings_probe({"SENTRY_DSN": dsn}) == "True True True False"
