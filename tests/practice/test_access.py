"""Only the owner, the claiming coach and staff see an attempt and its recordings; everyone
else (anonymous, other members, other coaches) gets a 404 or the login page, on every URL."""

import io

import pytest

from practice import services
from practice.models import Attempt
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import CoachFactory
from tests.practice.factories import (
    MemberFactory,
    PracticeSetFactory,
    claimed,
    scoring_coach,
    start,
)

pytestmark = pytest.mark.django_db

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64


@pytest.fixture
def mmi_claimed():
    attempt = start(practice_set=PracticeSetFactory(mmi=True))
    services.recording_save(attempt=attempt, position=1, upload=_upload(WEBM))
    for row in attempt.scenarios.all():
        services.scenario_submit(attempt=attempt, position=row.position)
    attempt.refresh_from_db()
    coach = scoring_coach(attempt.practice_set)
    services.attempt_claim(attempt=attempt, coach=coach)
    return attempt, coach


def _upload(data: bytes, name="answer"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="audio/webm")


def _urls(attempt):
    pid = attempt.public_id
    return [
        f"/practice/attempts/{pid}/",
        f"/practice/attempts/{pid}/scenarios/1/recording/",
        f"/practice/coach/attempts/{pid}/",
    ]


def test_owner_claiming_coach_and_staff_see_the_attempt_and_recording(client, mmi_claimed):
    attempt, coach = mmi_claimed
    recording_url = f"/practice/attempts/{attempt.public_id}/scenarios/1/recording/"
    for user in (attempt.member, coach.user, BuyerFactory(coaching_staff=True)):
        client.force_login(user)
        response = client.get(recording_url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "audio/webm"
        assert response["Content-Disposition"].startswith("inline")
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == WEBM
    client.force_login(coach.user)
    assert client.get(f"/practice/coach/attempts/{attempt.public_id}/").status_code == 200
    client.force_login(attempt.member)
    assert client.get(attempt.get_absolute_url()).status_code == 200


def test_other_members_and_other_coaches_get_404_everywhere(client, mmi_claimed):
    attempt, _ = mmi_claimed
    other_coach = scoring_coach(attempt.practice_set)  # delivers the service, did not claim
    for user in (MemberFactory(), other_coach.user, CoachFactory().user):
        client.force_login(user)
        for url in _urls(attempt):
            assert client.get(url).status_code == 404, (user, url)
        response = client.post(
            f"/practice/attempts/{attempt.public_id}/save/",
            data=b'{"position": 1, "index": 0, "text": "x", "version": 0}',
            content_type="application/json",
        )
        assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_everywhere(client, mmi_claimed):
    attempt, _ = mmi_claimed
    for url in _urls(attempt) + ["/practice/coach/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_unknown_and_malformed_ids_are_404(client):
    client.force_login(MemberFactory())
    for pid in ("nope", "x" * 200, "%E2%80%AE", "0001-01-01", "9999-12-31"):
        assert client.get(f"/practice/attempts/{pid}/").status_code == 404
        assert client.get(f"/practice/attempts/{pid}/scenarios/1/recording/").status_code == 404
    assert client.get("/practice/attempts/a%00b/").status_code == 400  # NUL: the middleware


def test_only_the_owner_uploads_a_recording(client, mmi_claimed):
    attempt = start(practice_set=PracticeSetFactory(mmi=True))
    url = f"/practice/attempts/{attempt.public_id}/scenarios/1/recording/"
    client.force_login(MemberFactory())
    assert client.post(url, {"audio": io.BytesIO(WEBM)}).status_code == 404
    client.force_login(attempt.member)
    upload = io.BytesIO(WEBM)
    upload.name = "answer.webm"
    assert client.post(url, {"audio": upload}).status_code == 200


def test_a_coach_page_for_someone_elses_claim_is_404_and_staff_cannot_score(client):
    attempt, coach = claimed()
    staff = BuyerFactory(coaching_staff=True)
    client.force_login(staff)
    url = f"/practice/coach/attempts/{attempt.public_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"score-1": "3", "action": "return"}).status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).status == "claimed"


def test_the_owner_is_sent_from_the_coach_page_only_if_they_are_not_staff(client):
    attempt, _ = claimed()
    client.force_login(attempt.member)
    assert client.get(f"/practice/coach/attempts/{attempt.public_id}/").status_code == 404


def test_a_non_coach_gets_403_on_the_coach_queue(client):
    client.force_login(MemberFactory())
    assert client.get("/practice/coach/").status_code == 403


@pytest.fixture
def video_claimed():
    """A submitted attempt in today's format whose first video question has a kept answer,
    claimed by a coach."""
    from datetime import timedelta

    from django.utils import timezone

    from practice.models import PracticeFormat

    now = timezone.now()
    practice_set = PracticeSetFactory(format=PracticeFormat.objects.get(current=True), scenarios=1)
    attempt = services.attempt_start(member=MemberFactory(), practice_set=practice_set, now=now)
    services.recording_part_save(
        attempt=attempt,
        position=1,
        index=1,
        take="take-one-1",
        number=0,
        data=WEBM,
        now=now + timedelta(seconds=61),
    )
    services.recording_complete(
        attempt=attempt,
        position=1,
        index=1,
        take="take-one-1",
        parts=1,
        now=now + timedelta(seconds=62),
    )
    services.attempt_advance(attempt=attempt, now=now + timedelta(minutes=3))
    coach = scoring_coach(practice_set)
    services.attempt_claim(attempt=attempt, coach=coach)
    return attempt, coach


def test_every_video_answer_url_by_role(client, video_claimed):
    attempt, coach = video_claimed
    base = f"/practice/attempts/{attempt.public_id}/scenarios/1/recording"
    answer = f"{base}/1/"
    part = f"{base}/1/takes/take-two-2/parts/0/"
    complete = f"{base}/1/takes/take-two-2/complete/"
    allowed = [attempt.member, coach.user, BuyerFactory(coaching_staff=True)]
    refused = [
        MemberFactory(),
        scoring_coach(attempt.practice_set).user,  # delivers the service, did not claim
        CoachFactory().user,
        BuyerFactory(finance=True),
        BuyerFactory(editor=True),
    ]
    for user in allowed:
        client.force_login(user)
        response = client.get(answer)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "video/webm"
        assert client.get(f"{base}/0/").status_code == 404  # nothing recorded for question 1
    for user in refused:
        client.force_login(user)
        assert client.get(answer).status_code == 404, user
    # Sending takes: the owner only (too late now, so a reason), everyone else a 404.
    for user in [coach.user, BuyerFactory(coaching_staff=True), *refused]:
        client.force_login(user)
        assert client.post(part, WEBM, content_type="application/octet-stream").status_code == 404
        assert (
            client.post(complete, {"parts": 1}, content_type="application/json").status_code == 404
        )
    client.force_login(attempt.member)
    late = client.post(part, WEBM, content_type="application/octet-stream")
    assert late.status_code == 409 and late.json()["code"] == "too_late"
    client.logout()
    for url in (answer, part):
        assert client.get(url).status_code == 302
