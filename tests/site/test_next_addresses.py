"""Every view that reads a `next` × addresses people (and fuzzers) post: never a 500; another
site, a bare word, a date or anything that is not a local path goes to the view's default; a
path on this site is followed. One rule decides, `core.redirects`."""

import pytest
from django.contrib.auth.models import Group

from core.redirects import MAX_LENGTH, back_to, is_local_path, local_path
from tests.accounts.factories import USER_PASSWORD, BuyerFactory, UserFactory
from tests.coaching.factories import PackageFactory, ServiceFactory
from tests.members.area import QuestionFactory, SchoolFactory, grant_all

pytestmark = pytest.mark.django_db

GOOD = "/ok/path/?a=1"
LONG = "/" + "a" * 2999
NOT_FOLLOWED = [
    "abc",
    "25:61",
    "dashboard",
    "//evil.example",
    "https://evil.example/",
    "/\\evil",
    LONG,
    "0001-01-01",
    "9999-12-31",
    "javascript:alert(1)",
    "/\tevil",
    "\\\\evil.example",
    " /ok/",
    "",
]
NUL = "\x00/x"


@pytest.mark.parametrize("value", NOT_FOLLOWED + [NUL, "/x\x00y", "/\u2028x", "/x\ny", 25, None])
def test_the_rule_refuses_what_is_not_a_local_path(value):
    assert not is_local_path(value)
    assert local_path(value, default="/fallback/") == "/fallback/"


@pytest.mark.parametrize(
    "value",
    ["/", GOOD, "/fr/members/schools/?province=ON&page=2#top", "/a" + "b" * (MAX_LENGTH - 2)],
)
def test_the_rule_keeps_local_paths(value):
    assert is_local_path(value)
    assert local_path(value, default="/fallback/") == value


def test_back_to_reads_the_posted_field_then_the_query_string(rf):
    assert (
        back_to(rf.post("/?next=/from-query/", {"next": "/posted/"}), default="/d/") == "/posted/"
    )
    assert back_to(rf.post("/?next=/from-query/"), default="/d/") == "/from-query/"
    assert back_to(rf.post("/", {"next": "abc"}), default="/d/") == "/d/"


# --- every view that reads `next` --------------------------------------------------------------


@pytest.fixture
def member(db):
    person = BuyerFactory()
    grant_all(person)
    return person


def _as(client, person):
    if person is not None:  # None: an anonymous visitor
        client.force_login(person)


def _shortlist_add(client, member, next_value):
    school = SchoolFactory(slug="queens")
    _as(client, member)
    return client.post(f"/members/schools/{school.slug}/shortlist/", {"next": next_value})


def _shortlist_remove(client, member, next_value):
    school = SchoolFactory(slug="queens")
    _as(client, member)
    return client.post(f"/members/schools/{school.slug}/shortlist/remove/", {"next": next_value})


def _favourite(client, member, next_value):
    question = QuestionFactory()
    _as(client, member)
    return client.post(
        f"/members/questions/{question.pk}/favourite/", {"favourite": "1", "next": next_value}
    )


def _time_zone(client, member, next_value):
    _as(client, member)
    return client.post("/accounts/profile/time-zone/", {"zone": "Europe/Paris", "next": next_value})


def _checkout_session(client, member, next_value):
    _as(client, member)
    return client.post("/checkout/session/", {"service": "no-such-service", "next": next_value})


def _checkout_package(client, member, next_value):
    empty = PackageFactory(slug="empty-package", items=0)  # cannot be bought: back with a message
    _as(client, member)
    return client.post(f"/checkout/package/{empty.slug}/", {"next": next_value})


def _checkout_review(client, member, next_value):
    live = ServiceFactory(slug="strategy-call")  # a live session: not sold as a review
    _as(client, member)
    return client.post(f"/checkout/review/{live.slug}/", {"next": next_value})


def _login(client, member, next_value):
    return client.post(
        "/accounts/login/", {"login": member.email, "password": USER_PASSWORD, "next": next_value}
    )


def _logout(client, member, next_value):
    _as(client, member)
    return client.post("/accounts/logout/", {"next": next_value})


def _admin_login(client, member, next_value):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client.get("/admin/login/", {"next": next_value})


VIEWS = [
    # (name, how to ask, where it goes when `next` is not followed)
    ("shortlist add", _shortlist_add, "/members/schools/shortlist/"),
    ("shortlist remove", _shortlist_remove, "/members/schools/shortlist/"),
    ("question favourite", _favourite, "/members/questions/"),
    ("time zone switch", _time_zone, "/dashboard/"),
    ("checkout session", _checkout_session, "/book/"),
    ("checkout package", _checkout_package, "/packages/empty-package/"),
    ("checkout review", _checkout_review, "/reviews/new/?service=strategy-call"),
    ("log in", _login, "/dashboard/"),
    ("log out", _logout, "/"),
    ("admin log in", _admin_login, "/admin/"),
]


@pytest.mark.parametrize("value", NOT_FOLLOWED + [GOOD], ids=repr)
@pytest.mark.parametrize(("name", "ask", "default"), VIEWS, ids=[v[0] for v in VIEWS])
def test_next_is_followed_only_to_a_local_path(client, member, name, ask, default, value):
    response = ask(client, member, value)

    assert response.status_code in (302, 303)
    assert response["Location"] == (GOOD if value == GOOD else default)


@pytest.mark.parametrize(("name", "ask", "default"), VIEWS, ids=[v[0] for v in VIEWS])
def test_a_nul_byte_in_next_is_refused_before_any_view(client, member, name, ask, default):
    response = ask(client, member, NUL)

    assert response.status_code == 400  # the bad-input middleware: never a 500 from SQL


@pytest.mark.parametrize(("name", "ask", "default"), VIEWS[:7], ids=[v[0] for v in VIEWS[:7]])
def test_anonymous_visitors_never_leave_for_the_posted_next(client, name, ask, default):
    response = ask(client, None, "https://evil.example/")

    # The members' panel (no redirect at all) or the log-in page; never the foreign address.
    assert response.status_code < 500
    if response.status_code in (302, 303):
        assert response["Location"].startswith("/accounts/login/?next=")
        assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("value", ["//evil.example", "https://evil.example/", "abc", "/\\evil"])
def test_the_admin_login_sends_visitors_to_log_in_with_a_local_next_only(client, value):
    response = client.get("/admin/login/", {"next": value})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_the_confirmation_email_carries_only_a_local_next(rf, member):
    from medpath.accounts.adapter import AccountAdapter

    class Confirmation:
        key = "k"

    adapter = AccountAdapter()
    local = rf.post("/accounts/signup/", {"next": GOOD})
    foreign = rf.post("/accounts/signup/", {"next": "//evil.example"})

    assert adapter.get_email_confirmation_url(local, Confirmation()).endswith(
        "?next=%2Fok%2Fpath%2F%3Fa%3D1"
    )
    assert "next" not in adapter.get_email_confirmation_url(foreign, Confirmation())
