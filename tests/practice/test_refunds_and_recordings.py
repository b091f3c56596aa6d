"""A full refund takes unscored attempts out of the queue (scored ones stay); recordings are
checked as audio, capped in size, kept 180 days after scoring and then deleted."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.uploads import UploadRejected
from members.services import entitlements_end_for_sources
from practice import services, tasks
from practice.errors import RecordingRejected, TooLate
from practice.models import AttemptStatus, Recording
from tests.practice.factories import (
    MemberFactory,
    PracticeSetFactory,
    claimed,
    grant_practice,
    scored,
    start,
    submitted,
)

pytestmark = pytest.mark.django_db

WEBM = b"\x1a\x45\xdf\xa3" + b"\x42" * 100
OGG = b"OggS" + b"\x00" * 100
MP4 = b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 100


def _upload(data):
    return SimpleUploadedFile("take", data, content_type="audio/webm")


# --- refunds ------------------------------------------------------------------------------


def test_ending_the_practice_entitlement_withdraws_unscored_attempts_only():
    member = MemberFactory(practice=False)
    entitlement = grant_practice(member)
    done, _ = scored(member=member, practice_set=PracticeSetFactory(scenarios=1))
    waiting = submitted(member, PracticeSetFactory(scenarios=1))
    in_hand, _ = claimed(member=member, practice_set=PracticeSetFactory(scenarios=1))
    running = start(member, PracticeSetFactory(scenarios=1))
    ended = entitlements_end_for_sources(sources=[entitlement.source], reason="Refund")
    assert (
        services.attempts_withdraw_for_ended_entitlements(entitlements=ended, reason="Refund") == 3
    )
    for attempt in (waiting, in_hand, running):
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.WITHDRAWN
    done.refresh_from_db()
    assert done.status == AttemptStatus.SCORED
    assert not list(services.selectors.to_claim_for(in_hand.claimed_by or _coach(in_hand)))


def _coach(attempt):
    from tests.practice.factories import scoring_coach

    return scoring_coach(attempt.practice_set)


def test_a_member_still_covered_by_another_purchase_keeps_their_attempts():
    member = MemberFactory(practice=False)
    refunded = grant_practice(member)
    grant_practice(member)  # a second package
    waiting = submitted(member, PracticeSetFactory(scenarios=1))
    ended = entitlements_end_for_sources(sources=[refunded.source], reason="Refund")
    assert services.attempts_withdraw_for_ended_entitlements(entitlements=ended, reason="x") == 0
    waiting.refresh_from_db()
    assert waiting.status == AttemptStatus.SUBMITTED


def test_a_full_refund_of_the_order_behind_the_perk_withdraws_the_attempts(offline_paid_order):
    order, member = offline_paid_order
    waiting = submitted(member, PracticeSetFactory(scenarios=1))
    from payments import services as payments_services

    staff = MemberFactory(is_staff=True, is_superuser=True, practice=False)
    order.refresh_from_db()
    payments_services.order_refund(
        order=order,
        amount_cents=order.refundable_cents,
        reason="Changed plans",
        actor=staff,
        idempotency_token="full",
    )
    waiting.refresh_from_db()
    assert waiting.status == AttemptStatus.WITHDRAWN
    assert "Order refunded" in waiting.withdraw_reason


# --- recordings ---------------------------------------------------------------------------


@pytest.fixture
def station():
    return start(practice_set=PracticeSetFactory(mmi=True))


@pytest.mark.parametrize(
    ("data", "kind"), [(WEBM, "audio/webm"), (OGG, "audio/ogg"), (MP4, "audio/mp4")]
)
def test_audio_is_recognised_by_its_first_bytes(station, data, kind):
    recording = services.recording_save(attempt=station, position=1, upload=_upload(data))
    assert recording.content_type == kind
    assert recording.file.storage is not None
    with pytest.raises(NotImplementedError):
        recording.file.url  # noqa: B018 (private files have no URL)


@pytest.mark.parametrize("data", [b"<html><script>", b"%PDF-1.7", b"\x00" * 20, b""])
def test_anything_else_is_refused(station, data):
    with pytest.raises(UploadRejected):
        services.recording_save(attempt=station, position=1, upload=_upload(data))
    assert not Recording.objects.exists()


def test_a_recording_over_15_mb_is_refused(station, settings):
    settings.PRACTICE_RECORDING_MAX_BYTES = 200
    with pytest.raises(UploadRejected) as refused:
        services.recording_save(attempt=station, position=1, upload=_upload(WEBM + b"\x00" * 200))
    assert refused.value.code == "too_large"


def test_a_typed_test_takes_no_recordings():
    attempt = start()
    with pytest.raises(RecordingRejected):
        services.recording_save(attempt=attempt, position=1, upload=_upload(WEBM))


def test_recording_again_replaces_the_earlier_take(station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.recording_save(attempt=station, position=1, upload=_upload(WEBM))
        old_name = first.file.name
        services.recording_save(attempt=station, position=1, upload=_upload(OGG))
    assert Recording.objects.count() == 1
    assert not first.file.storage.exists(old_name)


def test_an_upload_long_after_the_station_closed_is_refused(station, settings):
    settings.PRACTICE_UPLOAD_GRACE_SECONDS = 60
    row = station.scenarios.get(position=1)
    late = row.deadline + timedelta(seconds=61)
    with pytest.raises(TooLate):
        services.recording_save(attempt=station, position=1, upload=_upload(WEBM), now=late)


def test_the_upload_endpoint_answers_4xx_with_a_reason(client, station):
    client.force_login(station.member)
    url = f"/practice/attempts/{station.public_id}/scenarios/1/recording/"
    bad = io.BytesIO(b"GIF89a not audio")
    bad.name = "x.webm"
    response = client.post(url, {"audio": bad})
    assert response.status_code == 400 and response.json()["code"] == "not_audio"
    assert client.post(url, {}).json()["code"] == "no_file"
    assert (
        client.post(
            f"/practice/attempts/{station.public_id}/scenarios/99/recording/",
            {"audio": io.BytesIO(WEBM)},
        ).status_code
        == 400
    )


def test_recordings_are_kept_180_days_after_scoring_then_deleted():
    attempt = start(practice_set=PracticeSetFactory(mmi=True))
    recording = services.recording_save(attempt=attempt, position=1, upload=_upload(WEBM))
    name, storage = recording.file.name, recording.file.storage
    for row in attempt.scenarios.all():
        services.scenario_submit(attempt=attempt, position=row.position)
    attempt.refresh_from_db()
    coach = _coach(attempt)
    services.attempt_claim(attempt=attempt, coach=coach)
    services.attempt_score(
        attempt=attempt, coach=coach, scores={r.position: (3, "") for r in attempt.scenarios.all()}
    )
    services.attempt_return(attempt=attempt, coach=coach)
    recording.refresh_from_db()
    assert recording.delete_after.date() == (timezone.now() + timedelta(days=180)).date()
    assert services.recordings_delete_expired(now=timezone.now() + timedelta(days=179)) == 0
    assert storage.exists(name)
    assert services.recordings_delete_expired(now=timezone.now() + timedelta(days=181)) == 1
    assert not storage.exists(name) and not Recording.objects.exists()
    assert tasks.delete_expired_recordings() == 0  # safe to run again


def test_a_withdrawn_attempts_recordings_go_at_the_next_run(station):
    services.recording_save(attempt=station, position=1, upload=_upload(WEBM))
    member = station.member
    ended = entitlements_end_for_sources(
        sources=list(member.entitlements.values_list("source", flat=True)), reason="Refund"
    )
    services.attempts_withdraw_for_ended_entitlements(entitlements=ended, reason="Refund")
    assert services.recordings_delete_expired() == 1


def test_memberfactory_without_practice_has_no_perk():
    from coaching.models import PerkKind
    from members.access import has_perk

    assert not has_perk(MemberFactory(practice=False), PerkKind.PRACTICE_TESTS)


def test_an_upload_over_15_mb_is_413_with_a_reason(client, station):
    client.force_login(station.member)
    url = f"/practice/attempts/{station.public_id}/scenarios/1/recording/"
    big = io.BytesIO(WEBM + b"\x00" * (15 * 2**20 + 70 * 1024))
    big.name = "take.webm"
    response = client.post(url, {"audio": big})
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Recording.objects.exists()
