"""Every operation of `/api/v1/openapi.json`, fuzzed from the schema: never a 5xx.

Schemathesis generates at least 100 requests per operation from the published schema (valid
and invalid values, odd strings, huge numbers, far dates) and sends them through the whole
WSGI stack, middleware included, as an anonymous visitor, an applicant and a coach, with a
CSRF token so writes get past the CSRF check and reach the code. Runs once per CI, on SQLite.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, settings

from coaching import demo as coaching_demo
from coaching.models import Coach
from medpath.accounts import demo as accounts_demo

CSRF_TOKEN = "medpathfuzzcsrftoken0123456789ab"  # 32 characters: Django's unmasked secret form


# The schema view needs no database, so the schema can be read when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def callers(db):
    """Cookies for each kind of caller, with the demo catalogue and people loaded."""
    from django.contrib.auth import get_user_model

    if connection.vendor != "sqlite":
        pytest.skip("the API fuzz runs once per CI, on SQLite")
    accounts_demo.load()
    coaching_demo.load()
    applicant = get_user_model().objects.get(email="applicant@example.com")
    coach = Coach.objects.order_by("pk").first().user
    return {
        "anonymous": {"csrftoken": CSRF_TOKEN},
        "applicant": {"csrftoken": CSRF_TOKEN, "sessionid": _session_cookie(applicant)},
        "coach": {"csrftoken": CSRF_TOKEN, "sessionid": _session_cookie(coach)},
    }


@schema.parametrize()
@pytest.mark.parametrize("role", ["anonymous", "applicant", "coach"])
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(case, callers, role):
    response = case.call(headers={"X-CSRFToken": CSRF_TOKEN}, cookies=callers[role])
    assert response.status_code < 500, (
        f"as {role}: {case.method} {case.formatted_path} -> {response.status_code}\n"
        f"{case.as_curl_command()}\n{response.text[:2000]}"
    )
