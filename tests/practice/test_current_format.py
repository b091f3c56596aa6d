"""Today's CASPer format as data: four video-response scenarios (two questions, one at a time, a
minute each, the next opening by itself), an optional 10-minute break, seven typed scenarios
(two questions together, 3.5 minutes), an optional 5-minute break after the fourth typed one.
The server keeps every window; a recording outside its question's window is refused."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from practice import services
from practice.errors import PracticeError, RecordingRejected, TooLate
from practice.models import AttemptStatus, PracticeFormat, Recording, ResponseKind
from tests.practice.factories import MemberFactory, PracticeSetFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)
WEBM = b"\x1a\x45\xdf\xa3" + b"\x42" * 200
UPLOAD_GRACE = 20


@pytest.fixture(autouse=True)
def _graces(settings):
    settings.PRACTICE_GRACE_SECONDS = 5
    settings.PRACTICE_UPLOAD_GRACE_SECONDS = UPLOAD_GRACE


@pytest.fixture
def current():
    """The format the data migration installs (practice/migrations/0003)."""
    return PracticeFormat.objects.get(current=True)


def _start(practice_set, now=T0):
    return services.attempt_start(member=MemberFactory(), practice_set=practice_set, now=now)


def _video(data=WEBM):
    return SimpleUploadedFile("answer", data, content_type="video/webm")


def test_the_installed_format_is_todays_casper(current):
    assert current.cycle == "2026–2027"
    sections = [
        (s.response, s.scenario_count, s.questions_per_scenario, s.one_at_a_time, s.seconds)
        for s in current.sections.all()
    ]
    assert sections == [
        (ResponseKind.VIDEO, 4, 2, True, 60),
        (ResponseKind.TYPED, 4, 2, False, 210),
        (ResponseKind.TYPED, 3, 2, False, 210),
    ]
    assert current.scenario_count == 11
    assert current.answer_seconds == 4 * 2 * 60 + 7 * 210


def test_a_full_length_attempt_is_timed_section_by_section(current):
    attempt = _start(PracticeSetFactory(format=current, scenarios=11))
    rows = list(attempt.scenarios.order_by("position"))
    assert len(rows) == 11
    video, typed = rows[:4], rows[4:]
    assert {(r.response, r.question_seconds, r.answer_seconds) for r in video} == {
        (ResponseKind.VIDEO, 60, 120)
    }
    assert {(r.response, r.question_seconds, r.answer_seconds) for r in typed} == {
        (ResponseKind.TYPED, 0, 210)
    }
    assert all(len(r.questions) == 2 for r in rows)
    breaks = {r.position: r.break_seconds_after for r in rows if r.break_seconds_after}
    assert breaks == {4: 600, 8: 300}
    assert not rows[0].answers.exists()  # spoken, not typed
    assert rows[4].answers.count() == 2


def test_video_questions_open_one_after_another_and_the_break_can_be_skipped(current):
    attempt = _start(PracticeSetFactory(format=current, scenarios=11))
    first = attempt.scenarios.get(position=1)
    assert first.question_at(T0 + timedelta(seconds=59)) == 0
    assert first.question_at(T0 + timedelta(seconds=61)) == 1
    assert first.question_window(1) == (T0 + timedelta(seconds=60), T0 + timedelta(seconds=120))
    # Nobody touches the page: each scenario closes on its own, and the break starts.
    after_video = T0 + timedelta(minutes=8, seconds=1)
    attempt = services.attempt_advance(attempt=attempt, now=after_video)
    assert attempt.break_until == T0 + timedelta(minutes=8) + timedelta(minutes=10)
    # Skipping the rest of the break opens the first typed scenario now, with its full time.
    attempt = services.attempt_continue(attempt=attempt, now=after_video)
    typed = attempt.scenarios.get(position=5)
    assert typed.opened_at == after_video
    assert typed.deadline == after_video + timedelta(seconds=210)


def test_a_break_gives_no_extra_time_to_the_scenario_before_it(current):
    attempt = _start(PracticeSetFactory(format=current, scenarios=11))
    fourth_closes = T0 + timedelta(minutes=8)
    late = fourth_closes + timedelta(minutes=5)  # in the break
    with pytest.raises(TooLate):
        services.recording_save(attempt=attempt, position=4, index=1, upload=_video(), now=late)


def test_each_video_question_takes_a_recording_only_in_its_own_window(current):
    attempt = _start(PracticeSetFactory(format=current, scenarios=11))
    services.recording_save(
        attempt=attempt, position=1, index=0, upload=_video(), now=T0 + timedelta(seconds=30)
    )
    with pytest.raises(PracticeError) as early:
        services.recording_save(
            attempt=attempt, position=1, index=1, upload=_video(), now=T0 + timedelta(seconds=30)
        )
    assert early.value.code == "not_open"
    # The first question's upload is accepted inside the upload grace after its minute...
    in_grace = T0 + timedelta(seconds=60 + UPLOAD_GRACE - 1)
    services.recording_save(attempt=attempt, position=1, index=0, upload=_video(), now=in_grace)
    # ...and refused after it: no going back to a question once its time is over.
    with pytest.raises(TooLate):
        services.recording_save(
            attempt=attempt,
            position=1,
            index=0,
            upload=_video(),
            now=T0 + timedelta(seconds=60 + UPLOAD_GRACE + 1),
        )
    services.recording_save(
        attempt=attempt, position=1, index=1, upload=_video(), now=T0 + timedelta(seconds=90)
    )
    takes = Recording.objects.filter(attempt_scenario__attempt=attempt)
    assert sorted(takes.values_list("index", flat=True)) == [0, 1]  # a retake replaced, not added
    assert {take.content_type for take in takes} == {"video/webm"}


def test_typed_scenarios_take_no_recordings_and_video_ones_no_typing(current):
    attempt = _start(PracticeSetFactory(format=current, scenarios=5))
    with pytest.raises(PracticeError) as typed:
        services.answer_save(attempt=attempt, position=1, index=0, text="Typed", version=0, now=T0)
    assert typed.value.code == "video"
    services.scenario_submit(attempt=attempt, position=1, now=T0)
    services.scenario_submit(attempt=attempt, position=2, now=T0)
    services.scenario_submit(attempt=attempt, position=3, now=T0)
    services.scenario_submit(attempt=attempt, position=4, now=T0)
    services.attempt_continue(attempt=attempt, now=T0)
    with pytest.raises(RecordingRejected):
        services.recording_save(attempt=attempt, position=5, upload=_video(), now=T0)


@pytest.mark.parametrize("data", [b"%PDF-1.7" + b"\x00" * 50, b"<html>", b"\x00" * 64])
def test_a_video_answer_must_be_a_video_by_its_content(current, data):
    attempt = _start(PracticeSetFactory(format=current, scenarios=1))
    with pytest.raises(Exception) as refused:
        services.recording_save(attempt=attempt, position=1, upload=_video(data), now=T0)
    assert getattr(refused.value, "code", "") in {"not_video", "empty"}
    assert not Recording.objects.exists()


def test_fewer_scenarios_make_a_drill_of_the_first_section(current):
    attempt = _start(PracticeSetFactory(format=current, scenarios=2))
    rows = list(attempt.scenarios.order_by("position"))
    assert [r.response for r in rows] == [ResponseKind.VIDEO, ResponseKind.VIDEO]
    assert all(r.break_seconds_after == 0 for r in rows)
    attempt = services.attempt_advance(attempt=attempt, now=T0 + timedelta(minutes=5))
    assert attempt.status == AttemptStatus.SUBMITTED


def test_sets_say_which_format_they_rehearse(current):
    assert PracticeSetFactory(format=current).format_label == "Casper, 2026–2027"
    assert PracticeSetFactory().format_label.startswith("Older format")
    old = PracticeFormat.objects.create(name="Casper", cycle="2023–2024")
    assert PracticeSetFactory(format=old).format_label == "Older format: Casper, 2023–2024"


def test_the_question_page_shows_one_question_and_may_use_the_camera(client, current):
    practice_set = PracticeSetFactory(format=current, scenarios=5)
    member = MemberFactory()
    attempt = services.attempt_start(member=member, practice_set=practice_set)
    client.force_login(member)
    page = client.get(attempt.get_absolute_url())
    html = page.content.decode()
    assert "Question 1 of 2" in html and "What would you do?" in html
    assert "Why?" not in html  # the second question is not shown yet
    assert page["Permissions-Policy"] == "microphone=(self), camera=(self), geolocation=()"
    for position in range(1, 5):
        services.scenario_submit(attempt=attempt, position=position)
    services.attempt_continue(attempt=attempt)
    typed = client.get(attempt.get_absolute_url())
    assert "What would you do?" in typed.content.decode() and "Why?" in typed.content.decode()
    assert typed["Permissions-Policy"] == "microphone=(), camera=(), geolocation=()"


def test_mmi_stations_can_be_answered_on_camera(client):
    from practice.models import ResponseKind

    practice_set = PracticeSetFactory(mmi=True, station_response=ResponseKind.VIDEO)
    member = MemberFactory()
    attempt = services.attempt_start(member=member, practice_set=practice_set, now=T0)
    row = attempt.scenarios.get(position=1)
    assert row.is_video and not row.answers.exists()
    reading_ends = row.reading_ends_at
    with pytest.raises(PracticeError):  # reading time: the answer has not opened
        services.recording_save(attempt=attempt, position=1, upload=_video(), now=T0)
    services.recording_save(
        attempt=attempt, position=1, upload=_video(), now=reading_ends + timedelta(minutes=7)
    )
    assert Recording.objects.get().content_type == "video/webm"
    with time_machine.travel(reading_ends + timedelta(seconds=5), tick=False):
        client.force_login(member)
        page = client.get(attempt.get_absolute_url())
    html = page.content.decode()
    assert "on camera" in html and 'data-bits-per-second="' in html
    # Eight minutes within 15 MB: well under 1 Mb/s.
    bits = int(html.split('data-bits-per-second="')[1].split('"')[0])
    assert bits * 8 * 60 / 8 < 15 * 2**20
    assert page["Permissions-Policy"] == "microphone=(self), camera=(self), geolocation=()"


def test_a_video_prompt_plays_once_with_its_transcript_beside_it(client, current):
    from wagtail.documents import get_document_model

    practice_set = PracticeSetFactory(format=current, scenarios=1)
    document = get_document_model().objects.create(
        title="Scenario video", file=SimpleUploadedFile("prompt.webm", WEBM)
    )
    practice_set.scenarios.update(video=document, transcript="A porter speaks to a patient.")
    member = MemberFactory()
    attempt = services.attempt_start(member=member, practice_set=practice_set)
    client.force_login(member)
    html = client.get(attempt.get_absolute_url()).content.decode()
    assert f'data-play-once="{attempt.public_id}-1"' in html
    assert "Read the video's transcript instead" in html and "A porter speaks" in html
    assert "practice/prompt-video" in html
