"""Competencies as editable data: the data migration installs the ten aspects prep sites list
for Casper and never overwrites an editor's row; editors keep them in Admin → Practice
competencies. Coaches tag each scenario they score with the active competencies its answer
showed; the applicant sees them with the scores."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import IntegrityError

from practice import services
from practice.errors import PracticeError
from practice.models import AttemptStatus, Competency
from tests.accounts.factories import BuyerFactory
from tests.practice.factories import PracticeSetFactory, claimed

pytestmark = pytest.mark.django_db

TEN = [
    "Collaboration",
    "Communication",
    "Empathy",
    "Equity",
    "Ethics",
    "Motivation",
    "Problem solving",
    "Professionalism",
    "Resilience",
    "Self-awareness",
]


def _install():
    """Run the data migration's step again, as a database that already has rows would."""
    migration = importlib.import_module("practice.migrations.0006_competencies_data")
    migration.forwards(apps, None)


def test_the_migration_installed_the_ten_in_order_each_with_a_sentence():
    rows = list(Competency.objects.all())
    assert [row.name for row in rows] == TEN
    assert all(row.active and row.description.endswith(".") for row in rows)
    assert len({row.description for row in rows}) == 10


def test_running_it_again_keeps_an_editors_changes_and_adds_nothing_twice():
    empathy = Competency.objects.get(name="Empathy")
    empathy.description = "Our own words."
    empathy.sort_order = 1
    empathy.save()
    Competency.objects.filter(name="Equity").update(active=False)
    Competency.objects.filter(name="Ethics").update(name="ethics")  # renamed in lower case
    Competency.objects.create(name="Humility", description="Added by an editor.")
    _install()
    assert Competency.objects.count() == 11
    empathy.refresh_from_db()
    assert empathy.description == "Our own words." and empathy.sort_order == 1
    assert not Competency.objects.get(name="Equity").active
    assert not Competency.objects.filter(name="Ethics").exists()


def test_a_deleted_competency_comes_back_only_when_the_migration_runs_on_a_database_without_it():
    Competency.objects.filter(name="Resilience").delete()
    _install()
    assert Competency.objects.filter(name="Resilience").count() == 1


def test_two_competencies_cannot_share_a_name_in_any_case():
    with pytest.raises(IntegrityError):
        Competency.objects.create(name="EMPATHY")


def test_editors_list_add_and_edit_competencies_in_the_admin(client):
    client.force_login(BuyerFactory(is_staff=True, is_superuser=True))
    index = client.get("/admin/snippets/practice/competency/")
    page = index.content.decode()
    assert index.status_code == 200 and "Problem solving" in page
    assert "Practice competencies" in client.get("/admin/").content.decode()
    add = client.post(
        "/admin/snippets/practice/competency/add/",
        {"name": "Humility", "description": "Knows what they do not know.", "sort_order": "5"},
    )
    assert add.status_code == 302
    humility = Competency.objects.get(name="Humility")
    assert not humility.active  # an unticked box
    edit = client.get(f"/admin/snippets/practice/competency/edit/{humility.pk}/")
    assert edit.status_code == 200 and "Knows what they do not know." in edit.content.decode()


# --- coaches tag the competencies each answer showed ---------------------------------------


def _ids(*names):
    return [Competency.objects.get(name=name).pk for name in names]


def _tags(attempt):
    return [
        sorted(c.name for c in row.competencies.all())
        for row in attempt.scenarios.order_by("position")
    ]


def test_the_score_form_offers_the_active_competencies_for_each_scenario(client):
    Competency.objects.filter(name="Equity").update(active=False)
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=2))
    client.force_login(coach.user)
    page = client.get(attempt.get_coach_url()).content.decode()
    for position in (1, 2):
        assert f'name="competencies-{position}" value="{_ids("Empathy")[0]}"' in page
        assert f'name="competencies-{position}" value="{_ids("Equity")[0]}"' not in page
    assert "What each competency means" in page and "Problem solving" in page


def test_a_draft_and_the_return_store_the_ticked_competencies(client):
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=2))
    client.force_login(coach.user)
    empathy, ethics, resilience = _ids("Empathy", "Ethics", "Resilience")
    draft = {
        "score-1": "3",
        "competencies-1": [str(empathy), str(ethics)],
        "competencies-2": [str(resilience)],
        "action": "save",
    }
    assert client.post(attempt.get_coach_url(), draft).status_code == 302
    assert _tags(attempt) == [["Empathy", "Ethics"], ["Resilience"]]
    page = client.get(attempt.get_coach_url()).content.decode()
    ticked = re.findall(r'name="(competencies-\d)" value="(\d+)" id="[^"]+" checked', page)
    assert sorted(ticked) == sorted(
        [
            ("competencies-1", str(empathy)),
            ("competencies-1", str(ethics)),
            ("competencies-2", str(resilience)),
        ]
    )
    refused = client.post(attempt.get_coach_url(), {**draft, "action": "return"})
    assert refused.status_code == 400 and "Rate every scenario" in refused.content.decode()
    done = {**draft, "score-2": "2", "competencies-2": [], "action": "return"}
    assert client.post(attempt.get_coach_url(), done).status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SCORED
    assert _tags(attempt) == [["Empathy", "Ethics"], []]


def test_a_retired_or_unknown_competency_is_a_form_error_and_changes_nothing(client):
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=1))
    Competency.objects.filter(name="Equity").update(active=False)
    client.force_login(coach.user)
    for bad in (str(_ids("Equity")[0]), "99999", "x"):
        response = client.post(
            attempt.get_coach_url(), {"score-1": "3", "competencies-1": [bad], "action": "save"}
        )
        assert response.status_code == 400
    row = attempt.scenarios.get()
    assert row.score is None and not row.competencies.exists()


def test_the_service_refuses_inactive_competencies_but_keeps_one_retired_after_tagging():
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=1))
    equity, ethics = _ids("Equity", "Ethics")
    services.attempt_score(attempt=attempt, coach=coach, scores={}, competencies={1: [equity]})
    Competency.objects.filter(pk=equity).update(active=False)
    services.attempt_score(
        attempt=attempt, coach=coach, scores={}, competencies={1: [equity, ethics]}
    )
    assert _tags(attempt) == [["Equity", "Ethics"]]
    other, other_coach = claimed(practice_set=PracticeSetFactory(scenarios=1))
    for competencies, code in (({1: [equity]}, "bad_competency"), ({2: [ethics]}, "no_scenario")):
        with pytest.raises(PracticeError) as refused:
            services.attempt_score(
                attempt=other, coach=other_coach, scores={1: (3, "")}, competencies=competencies
            )
        assert refused.value.code == code
    assert other.scenarios.get().score is None and _tags(other) == [[]]
    services.attempt_score(attempt=attempt, coach=coach, scores={1: (4, "")})  # tags untouched
    assert _tags(attempt) == [["Equity", "Ethics"]]


def test_the_applicant_sees_the_tags_once_scored_and_staff_see_them_read_only(client):
    attempt, coach = claimed(practice_set=PracticeSetFactory(scenarios=1))
    services.attempt_score(
        attempt=attempt,
        coach=coach,
        scores={1: (3, "Good.")},
        competencies={1: _ids("Empathy", "Communication")},
    )
    client.force_login(attempt.member)
    shown = "Competencies the answer showed: Communication, Empathy"
    assert shown not in client.get(attempt.get_absolute_url()).content.decode()  # a draft
    services.attempt_return(attempt=attempt, coach=coach)
    assert shown in client.get(attempt.get_absolute_url()).content.decode()
    client.force_login(BuyerFactory(is_staff=True, is_superuser=True))
    assert shown in client.get(attempt.get_coach_url()).content.decode()
