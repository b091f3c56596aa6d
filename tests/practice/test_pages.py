"""The pages: a scenario works as a plain form without JavaScript, the autosave endpoint
answers clear 4xx codes, the progress page draws its chart on the server with a text
alternative, the demo shows practice."""

import json
import re

import pytest
from django.core.management import call_command

from practice.models import Attempt, AttemptStatus, PracticeSet
from tests.practice.factories import MemberFactory, PracticeSetFactory, scored, start

pytestmark = pytest.mark.django_db


def _save(client, attempt, body, content_type="application/json"):
    return client.post(
        f"/practice/attempts/{attempt.public_id}/save/",
        data=body if isinstance(body, (str, bytes)) else json.dumps(body),
        content_type=content_type,
    )


def test_the_plain_form_saves_and_submits_each_scenario_without_javascript(client):
    attempt = start(practice_set=PracticeSetFactory(scenarios=2))
    client.force_login(attempt.member)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert 'name="answer-0"' in page and 'name="version-0"' in page
    assert "<script" in page and 'type="module"' in page and "onclick" not in page
    form = {
        "position": "1",
        "answer-0": "One.",
        "version-0": "0",
        "answer-1": "Two two.",
        "version-1": "0",
        "answer-2": "",
        "version-2": "0",
    }
    client.post(attempt.get_absolute_url(), {**form, "action": "save"})
    row = attempt.scenarios.get(position=1)
    assert [a.text for a in row.answers.order_by("index")] == ["One.", "Two two.", ""]
    form.update({"version-0": "1", "version-1": "1", "version-2": "1", "action": "submit"})
    response = client.post(attempt.get_absolute_url(), form, follow=True)
    assert response.context["row"].position == 2
    client.post(attempt.get_absolute_url(), {"position": "2", "action": "submit"})
    summary = client.get(attempt.get_absolute_url()).content.decode()
    assert "Submitted. A coach will score" in summary
    assert "Two two." in summary and "(2 words)" in summary


def test_a_stale_plain_form_says_so_and_keeps_the_newer_text(client):
    attempt = start()
    client.force_login(attempt.member)
    assert (
        _save(client, attempt, {"position": 1, "index": 0, "text": "New", "version": 0}).status_code
        == 200
    )
    response = client.post(
        attempt.get_absolute_url(),
        {"position": "1", "answer-0": "Old tab", "version-0": "0", "action": "save"},
        follow=True,
    )
    assert "changed in another tab" in response.content.decode()
    assert attempt.scenarios.get(position=1).answers.get(index=0).text == "New"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("not json", "application/json", 400, "invalid"),
        ("[]", "application/json", 400, "invalid"),
        ({"position": 1, "index": 0, "text": "x"}, "application/json", 400, "invalid"),
        ({"position": 1, "index": 0, "text": 5, "version": 0}, "application/json", 400, "invalid"),
        (
            {"position": 1, "index": 0, "text": "x", "version": True},
            "application/json",
            400,
            "invalid",
        ),
        (
            {"position": 1, "index": 0, "text": "x", "version": -1},
            "application/json",
            400,
            "invalid",
        ),
        (
            {"position": 1, "index": 0, "text": "x", "version": 2**40},
            "application/json",
            400,
            "invalid",
        ),
        (
            {"position": 1, "index": 7, "text": "x", "version": 0},
            "application/json",
            400,
            "no_question",
        ),
        (
            {"position": 9, "index": 0, "text": "x", "version": 0},
            "application/json",
            400,
            "no_scenario",
        ),
        (
            {"position": 1, "index": 0, "text": "x" * 5001, "version": 0},
            "application/json",
            400,
            "invalid",
        ),
        ({"position": 1, "index": 0, "text": "x", "version": 3}, "application/json", 409, "stale"),
        ("position=1", "application/x-www-form-urlencoded", 415, "unsupported"),
    ],
)
def test_the_autosave_endpoint_answers_4xx_with_a_code(client, body, content_type, status, code):
    attempt = start()
    client.force_login(attempt.member)
    response = _save(client, attempt, body, content_type)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert attempt.scenarios.get(position=1).answers.get(index=0).text == ""


def test_an_oversized_body_is_413_and_nul_is_400(client):
    attempt = start()
    client.force_login(attempt.member)
    assert _save(client, attempt, "x" * (65 * 1024)).status_code == 413
    nul = {"position": 1, "index": 0, "text": "a\x00b", "version": 0}
    assert _save(client, attempt, nul).status_code == 400


def test_the_autosave_endpoint_saves_with_the_next_version(client):
    attempt = start()
    client.force_login(attempt.member)
    response = _save(
        client, attempt, {"position": 1, "index": 1, "text": "Three words here", "version": 0}
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1 and response.json()["words"] == 3


def test_the_autosave_endpoint_needs_csrf(client):
    from django.test import Client

    attempt = start()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(attempt.member)
    response = _save(strict, attempt, {"position": 1, "index": 0, "text": "x", "version": 0})
    assert response.status_code == 403


def test_progress_shows_scores_average_and_an_svg_chart_with_a_text_alternative(client):
    member = MemberFactory()
    scored(member=member, practice_set=PracticeSetFactory(scenarios=2), scores=[2, 3])
    scored(member=member, practice_set=PracticeSetFactory(scenarios=2), scores=[4, 3])
    client.force_login(member)
    page = client.get("/practice/").content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "2.5 out of 4" in svg and "3.5 out of 4" in svg
    assert svg.count("<circle") == 2 and "<polyline" in svg
    assert "<table" in page and "2, 3" in page and "4, 3" in page
    assert "Your average across scored attempts: <strong>3.0</strong>" in page


def test_a_returned_attempt_shows_scores_and_comments_to_its_owner(client):
    attempt, _ = scored(practice_set=PracticeSetFactory(scenarios=2), scores=[1, 4])
    client.force_login(attempt.member)
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "Score: 1 out of 4" in page and "Comment 2" in page
    assert "Your average: <strong>2.5</strong>" in page


def test_the_demo_has_a_casper_set_a_scored_attempt_and_one_awaiting_a_score(
    transactional_db, client
):
    call_command("load_demo", force=True, quiet_logins=True)
    call_command("load_demo", force=True, quiet_logins=True)  # idempotent
    casper = PracticeSet.objects.get(slug="casper-practice-a")
    assert casper.scenarios.count() >= 4
    attempts = Attempt.objects.filter(member__email="applicant@example.com")
    assert sorted(attempts.values_list("practice_set__slug", "status")) == [
        ("casper-full-length", AttemptStatus.IN_PROGRESS),
        ("casper-practice-a", AttemptStatus.SCORED),
        ("casper-practice-a", AttemptStatus.SUBMITTED),
        ("casper-video-drill", AttemptStatus.SCORED),
        ("casper-video-drill", AttemptStatus.SUBMITTED),
    ]
    # The drills' answers were recorded on camera, sent in parts and made seekable.
    from practice.models import Recording

    takes = Recording.objects.filter(
        attempt_scenario__attempt__practice_set__slug="casper-video-drill"
    )
    assert takes.count() == 8 and all(take.seekable for take in takes)
    client.force_login(attempts.first().member)
    page = client.get("/practice/").content.decode()
    assert "<svg" in page and "MMI circuit" in page
    # Today's format: the full-length simulation and both drills, labelled by their format.
    full = PracticeSet.objects.get(slug="casper-full-length")
    assert full.format.current and full.scenarios.count() == 11
    assert "Casper full-length simulation" in page and "2026–2027 · 11 scenarios" in page
    assert "Casper drill: answering on camera" in page and "Casper drill: typed responses" in page
    assert page.count("Older format") == 1  # the set in the format used before 2023
    from coaching.models import Coach
    from practice.selectors import to_claim_for

    london = Coach.objects.get(user__email="coach.london@example.com")
    assert to_claim_for(london).count() == 2


def test_the_membership_perk_links_to_practice():
    from medpath.membership import perk_page_url

    assert perk_page_url("practice_tests") == "/practice/"


@pytest.mark.parametrize(
    "form",
    [
        {"position": "abc", "answer-0": "x", "version-0": "0"},
        {"position": "1", "answer-0": "x", "version-0": "99999999999999999999999"},
        {"position": "99999999999999999999", "answer-0": "x", "version-0": "0"},
        {"position": "1", "answer-²": "x", "version-²": "0"},
        {"position": "²", "answer-0": "x", "version-0": "0", "action": "submit"},
        {"position": "1", "answer-0": "x" * 5001, "version-0": "0"},
    ],
)
def test_a_malformed_plain_form_is_a_message_and_changes_nothing(client, form):
    attempt = start()
    client.force_login(attempt.member)
    response = client.post(attempt.get_absolute_url(), form, follow=True)
    assert response.status_code == 200
    assert "not understood" in response.content.decode()
    row = attempt.scenarios.get(position=1)
    assert row.closed_at is None and row.answers.get(index=0).text == ""


def test_huge_positions_in_file_urls_are_404(client):
    attempt = start(practice_set=PracticeSetFactory(mmi=True))
    client.force_login(attempt.member)
    url = f"/practice/attempts/{attempt.public_id}/scenarios/99999999999999999999/recording/"
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert client.get(url.replace("recording", "video")).status_code == 404


def test_editors_build_sets_with_inline_scenarios_in_the_admin(client):
    from tests.accounts.factories import BuyerFactory

    practice_set = PracticeSetFactory(scenarios=1)
    client.force_login(BuyerFactory(is_staff=True, is_superuser=True))
    index = client.get("/admin/snippets/practice/practiceset/")
    assert index.status_code == 200 and practice_set.title in index.content.decode()
    add = client.get("/admin/snippets/practice/practiceset/add/").content.decode()
    for field in (
        "scenarios-__prefix__-question_3",
        "scenarios-__prefix__-time_limit_seconds",
        "scenarios-__prefix__-video",
        "break_after",
        "station_count",
        "service",
    ):
        assert field in add, field
    edit = client.get(f"/admin/snippets/practice/practiceset/edit/{practice_set.pk}/")
    assert edit.status_code == 200 and "The situation of scenario 1." in edit.content.decode()
