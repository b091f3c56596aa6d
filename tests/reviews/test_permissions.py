"""Every review URL and file URL for every kind of visitor: anonymous, the applicant who owns
the review, another applicant, the assigned reviewer, another coach (who reviews the same
service), an editor (Wagtail staff without review permissions) and staff (superuser).

Nobody sees or changes what is not theirs: a review or file they may not see is a 404 (its
existence is not confirmed), the coach area is 403 for non-coaches, and anonymous visitors
are sent to log in. After every request the review and its file are checked unchanged unless
the visitor was allowed to change them.
"""

import pytest
from django.contrib.auth.models import Group

from reviews.models import ReviewStatus
from tests.accounts.factories import UserFactory
from tests.coaching.factories import CoachFactory
from tests.reviews.factories import ReviewFactory, ReviewFileFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "other_applicant", "reviewer", "other_coach", "editor", "staff"]


@pytest.fixture
def world(review_service):
    review = ReviewFactory(service=review_service, in_review=True)
    file = ReviewFileFactory(review=review)
    editor = UserFactory(is_staff=True)
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    people = {
        "anonymous": None,
        "owner": review.applicant,
        "other_applicant": UserFactory(),
        "reviewer": review.reviewer.user,
        "other_coach": CoachFactory(services=[review_service]).user,
        "editor": editor,
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    return review, file, people


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _code(expected_ok, role, ok=200):
    if role == "anonymous":
        return 302
    return ok if role in expected_ok else 404


SEE = {"owner", "reviewer", "staff"}

GETS = [
    # (name, url template, who may, status when allowed)
    ("detail", "/reviews/{r}/", SEE, 200),
    ("file", "/reviews/{r}/files/{f}/", SEE, 200),
    ("file of another review", "/reviews/{other}/files/{f}/", set(), 200),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "allowed", "ok"), GETS, ids=[g[0] for g in GETS])
def test_review_and_file_pages(client, world, role, name, url, allowed, ok):
    review, file, people = world
    other = ReviewFactory(applicant=people["owner"] or UserFactory())
    response = _client(client, people[role]).get(
        url.format(r=review.public_id, f=file.public_id, other=other.public_id)
    )
    assert response.status_code == _code(allowed, role, ok)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    if name == "file" and response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/reviews/", "/reviews/new/"])
def test_own_lists_are_for_anyone_logged_in_and_show_only_their_reviews(client, world, role, url):
    review, _, people = world
    response = _client(client, people[role]).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    shown = review.public_id in response.content.decode()
    assert shown == (role == "owner" and url == "/reviews/")


OWNER_POSTS = ["withdraw", "close", "revise", "files/{f}/delete"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", OWNER_POSTS)
def test_applicant_actions_are_the_owners_alone(client, world, role, action):
    review, file, people = world
    url = f"/reviews/{review.public_id}/{action.format(f=file.public_id)}/"
    response = _client(client, people[role]).post(url, {"text": "new", "note": "x"})
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role == "owner":
        assert response.status_code in (302, 400)
    else:
        assert response.status_code == 404
    review.refresh_from_db()
    file.refresh_from_db()
    if role != "owner":
        assert review.status == ReviewStatus.IN_REVIEW
        assert not file.is_deleted


@pytest.mark.parametrize("role", ROLES)
def test_only_the_assigned_reviewer_answers(client, world, role):
    review, _, people = world
    response = _client(client, people[role]).post(
        f"/reviews/{review.public_id}/answer/",
        {"summary": "Looks good", "suggested_text": "", "action": "return"},
    )
    review.refresh_from_db()
    if role == "reviewer":
        assert response.status_code == 302
        assert review.status == ReviewStatus.RETURNED
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert review.status == ReviewStatus.IN_REVIEW


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_is_for_coaches(client, world, role):
    _, _, people = world
    response = _client(client, people[role]).get("/coach/reviews/")
    expected = {"anonymous": 302, "reviewer": 200, "other_coach": 200}.get(role, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_claiming_is_for_coaches_who_review_the_service(client, world, review_service, role):
    _, _, people = world
    waiting = ReviewFactory(service=review_service)
    response = _client(client, people[role]).post(
        f"/coach/reviews/review/{waiting.public_id}/claim/"
    )
    waiting.refresh_from_db()
    if role in ("reviewer", "other_coach"):
        assert response.status_code == 302
        assert waiting.status == ReviewStatus.ASSIGNED
        assert waiting.reviewer.user == people[role]
    else:
        assert response.status_code == {"anonymous": 302}.get(role, 403)
        assert waiting.status == ReviewStatus.SUBMITTED


def test_a_coach_who_does_not_review_the_service_is_told_and_nothing_changes(
    client, review_service
):
    waiting = ReviewFactory(service=review_service)
    outsider = CoachFactory()
    client.force_login(outsider.user)
    response = client.post(f"/coach/reviews/review/{waiting.public_id}/claim/", follow=True)
    assert "You do not deliver this service." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == ReviewStatus.SUBMITTED


def test_unknown_and_guessed_ids_are_404(client, world):
    _, file, people = world
    client.force_login(people["owner"])
    for url in [
        "/reviews/nope/",
        f"/reviews/{'A' * 22}/files/{file.public_id}/",
    ]:
        assert client.get(url).status_code == 404
    client.force_login(people["reviewer"])
    assert client.post("/coach/reviews/review/nope/claim/").status_code == 404
    for url in ["/reviews/%00/", "/reviews/abc%00def/", f"/reviews/x/files/{file.public_id}%00/"]:
        assert client.get(url).status_code == 400  # the NUL-byte rule, before any view
    assert client.post("/coach/reviews/review/no%00pe/claim/").status_code == 400
