"""Video answers arrive in parts as they are recorded: the first part inside the question's
window, the rest of a take begun in time later (slow uplinks); a part sent twice is stored
once; the take becomes one recording when every part is there."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from practice import services
from practice.errors import PracticeError, RecordingRejected, TooLate
from practice.models import PracticeFormat, Recording, RecordingPart
from tests.practice.factories import MemberFactory, PracticeSetFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)
HEAD = b"\x1a\x45\xdf\xa3" + b"\x01" * 60
TAKE = "take-abcdef12"


@pytest.fixture(autouse=True)
def _graces(settings):
    settings.PRACTICE_GRACE_SECONDS = 5
    settings.PRACTICE_PART_GRACE_SECONDS = 600


@pytest.fixture
def attempt():
    practice_set = PracticeSetFactory(format=PracticeFormat.objects.get(current=True), scenarios=2)
    return services.attempt_start(member=MemberFactory(), practice_set=practice_set, now=T0)


def _part(attempt, number, data, *, at, take=TAKE, index=0):
    return services.recording_part_save(
        attempt=attempt, position=1, index=index, take=take, number=number, data=data, now=at
    )


def test_parts_become_one_recording_and_a_replayed_part_is_stored_once(attempt):
    _part(attempt, 0, HEAD, at=T0 + timedelta(seconds=1))
    _part(attempt, 1, b"second", at=T0 + timedelta(seconds=2))
    _part(attempt, 1, b"second", at=T0 + timedelta(seconds=3))  # the answer was lost
    _part(attempt, 2, b"third", at=T0 + timedelta(seconds=4))
    assert RecordingPart.objects.count() == 3
    recording = services.recording_complete(
        attempt=attempt, position=1, index=0, take=TAKE, parts=3, now=T0 + timedelta(seconds=5)
    )
    assert recording.file.read() == HEAD + b"second" + b"third"
    assert recording.content_type == "video/webm" and recording.take == TAKE
    assert not RecordingPart.objects.exists()
    again = services.recording_complete(
        attempt=attempt, position=1, index=0, take=TAKE, parts=3, now=T0 + timedelta(seconds=6)
    )
    assert again.pk == recording.pk and Recording.objects.count() == 1


def test_the_first_part_must_come_in_time_and_the_rest_may_come_later(attempt):
    closes = T0 + timedelta(seconds=60)
    with pytest.raises(TooLate):
        _part(attempt, 0, HEAD, at=closes + timedelta(seconds=6), take="late-take-1")
    _part(attempt, 0, HEAD, at=closes - timedelta(seconds=10))
    # A slow line: the last seconds of the take arrive minutes after the question closed.
    _part(attempt, 1, b"tail", at=closes + timedelta(minutes=9))
    with pytest.raises(TooLate):
        _part(attempt, 2, b"too late", at=closes + timedelta(minutes=11))
    recording = services.recording_complete(
        attempt=attempt, position=1, index=0, take=TAKE, parts=2, now=closes + timedelta(minutes=9)
    )
    assert recording.size == len(HEAD) + 4


def test_a_later_part_needs_its_take_to_have_started(attempt):
    with pytest.raises(PracticeError) as refused:
        _part(attempt, 1, b"orphan", at=T0 + timedelta(seconds=3))
    assert refused.value.code == "no_take"


def test_a_take_is_whole_only_when_every_part_arrived(attempt):
    _part(attempt, 0, HEAD, at=T0 + timedelta(seconds=1))
    _part(attempt, 2, b"third", at=T0 + timedelta(seconds=2))
    with pytest.raises(PracticeError) as incomplete:
        services.recording_complete(
            attempt=attempt, position=1, index=0, take=TAKE, parts=3, now=T0 + timedelta(seconds=3)
        )
    assert incomplete.value.code == "incomplete" and incomplete.value.missing == [1]
    assert not Recording.objects.exists()


def test_a_new_take_replaces_an_unfinished_one(attempt):
    _part(attempt, 0, HEAD, at=T0 + timedelta(seconds=1), take="first-take")
    _part(attempt, 1, b"x", at=T0 + timedelta(seconds=2), take="first-take")
    _part(attempt, 0, HEAD, at=T0 + timedelta(seconds=3), take="second-take")
    assert set(RecordingPart.objects.values_list("take", flat=True)) == {"second-take"}


@pytest.mark.parametrize(
    ("take", "number", "data", "error"),
    [
        ("../../etc", 0, HEAD, "bad_take"),
        ("short", 0, HEAD, "bad_take"),
        (TAKE, -1, HEAD, "bad_part"),
        (TAKE, 0, b"", "empty"),
        (TAKE, 0, b"%PDF-1.7" + b"\x00" * 30, "not_media"),
        (TAKE, 0, b"x" * (2 * 2**20 + 1), "too_large"),
    ],
)
def test_bad_parts_are_refused_and_nothing_is_stored(attempt, take, number, data, error):
    with pytest.raises((PracticeError, RecordingRejected)) as refused:
        _part(attempt, number, data, at=T0 + timedelta(seconds=1), take=take)
    assert refused.value.code == error
    assert not RecordingPart.objects.exists()


def test_a_take_stays_within_the_recording_limit(attempt, settings):
    settings.PRACTICE_RECORDING_MAX_BYTES = len(HEAD) + 10
    _part(attempt, 0, HEAD, at=T0 + timedelta(seconds=1))
    with pytest.raises(RecordingRejected) as refused:
        _part(attempt, 1, b"x" * 11, at=T0 + timedelta(seconds=2))
    assert refused.value.code == "too_large"


def test_abandoned_parts_are_deleted_by_the_retention_job(attempt):
    _part(attempt, 0, HEAD, at=T0 + timedelta(seconds=1))
    name = RecordingPart.objects.get().file.name
    services.recordings_delete_expired(now=T0 + timedelta(hours=2))
    assert RecordingPart.objects.exists()
    services.recordings_delete_expired(now=T0 + timedelta(days=2))
    assert not RecordingPart.objects.exists()
    from core.files import private_storage

    assert not private_storage().exists(name)


# --- over HTTP ------------------------------------------------------------------------------


def _urls(attempt, number=0, take=TAKE):
    base = f"/practice/attempts/{attempt.public_id}/scenarios/1/recording/0/takes/{take}"
    return f"{base}/parts/{number}/", f"{base}/complete/"


def test_the_part_endpoints_take_raw_bytes_and_answer_with_reasons(client, attempt):
    client.force_login(attempt.member)
    part, complete = _urls(attempt)
    with time_machine.travel(T0 + timedelta(seconds=2), tick=False):
        sent = client.post(part, HEAD, content_type="application/octet-stream")
        assert sent.status_code == 200 and sent.json() == {"number": 0, "size": len(HEAD)}
        missing = client.post(complete, {"parts": 2}, content_type="application/json")
        assert missing.status_code == 409 and missing.json()["missing"] == [1]
        for body in ("{", '{"parts": "2"}', '{"parts": true}', "[]"):
            bad = client.post(complete, body, content_type="application/json")
            assert bad.status_code == 400, body
        done = client.post(complete, {"parts": 1}, content_type="application/json")
        assert done.status_code == 200 and done.json()["content_type"] == "video/webm"
        huge = client.post(
            _urls(attempt, 1)[0], b"x" * (2 * 2**20 + 10), content_type="application/octet-stream"
        )
        assert huge.status_code == 413


def test_only_the_owner_sends_parts(client, attempt):
    part, complete = _urls(attempt)
    anonymous = client.post(part, HEAD, content_type="application/octet-stream")
    assert anonymous.status_code == 302
    client.force_login(MemberFactory())
    with time_machine.travel(T0 + timedelta(seconds=2), tick=False):
        assert client.post(part, HEAD, content_type="application/octet-stream").status_code == 404
        assert (
            client.post(complete, {"parts": 1}, content_type="application/json").status_code == 404
        )
        assert client.get(part).status_code == 405
    assert not RecordingPart.objects.exists()


# --- made seekable in the background ----------------------------------------------------------


@pytest.mark.parametrize(
    ("container", "live", "content_type"),
    [
        ("webm", True, "video/webm"),  # Chrome and Firefox: WebM with no duration or cues
        ("mp4", False, "video/mp4"),  # Safari: MP4
    ],
)
def test_a_browsers_take_is_remuxed_so_it_can_be_seeked(
    attempt, tmp_path, container, live, content_type, django_capture_on_commit_callbacks
):
    from core.media import make_sample, probe

    sample = tmp_path / f"take.{container}"
    make_sample(
        sample, seconds=2, container=container, video=True, width=160, height=120, live=live
    )
    data = sample.read_bytes()
    assert live is False or not probe(sample).seekable
    third = len(data) // 3 + 1
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            _part(attempt, number, data[number * third : (number + 1) * third], at=T0)
        recording = services.recording_complete(
            attempt=attempt, position=1, index=0, take=TAKE, parts=3, now=T0
        )
    recording.refresh_from_db()
    assert recording.content_type == content_type
    assert recording.seekable and recording.duration_seconds == pytest.approx(2, abs=0.2)
    with recording.file.open("rb") as stored:
        assert probe(stored).seekable
    # Running the job again (a retry) changes nothing.
    assert (
        services.recording_make_seekable(recording_id=recording.pk).file.name == recording.file.name
    )


def test_a_take_ffmpeg_cannot_read_is_kept_as_it_was(attempt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _part(attempt, 0, HEAD, at=T0)
        recording = services.recording_complete(
            attempt=attempt, position=1, index=0, take=TAKE, parts=1, now=T0
        )
    recording.refresh_from_db()
    assert not recording.seekable and recording.file.read() == HEAD
