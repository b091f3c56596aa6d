"""Only members with the practice perk start tests; fair use is one attempt per set awaiting a
score and a monthly cap, both said before starting."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from members.errors import PerkRequired
from practice import services
from practice.errors import FairUseError
from practice.models import Attempt
from tests.accounts.factories import BuyerFactory
from tests.practice.factories import MemberFactory, PracticeSetFactory, scored, submitted

pytestmark = pytest.mark.django_db


def test_a_member_without_the_perk_cannot_start():
    with pytest.raises(PerkRequired):
        services.attempt_start(member=BuyerFactory(), practice_set=PracticeSetFactory())
    assert not Attempt.objects.exists()


def test_start_page_refuses_without_the_perk_and_shows_the_members_panel(client):
    practice_set = PracticeSetFactory()
    client.force_login(BuyerFactory())
    index = client.get("/practice/")  # the members' gate: reading the page is its sales page
    assert index.status_code == 200 and "Members only" in index.content.decode()
    assert practice_set.title not in index.content.decode()
    response = client.post(f"/practice/sets/{practice_set.slug}/start/", follow=True)
    assert "come with a package" in response.content.decode()
    assert not Attempt.objects.exists()


def test_anonymous_visitors_are_offered_the_log_in_and_cannot_start(client):
    practice_set = PracticeSetFactory()
    index = client.get("/practice/")
    assert (
        index.status_code == 200
        and "/accounts/login/?next=%2Fpractice%2F" in index.content.decode()
    )
    assert client.post(f"/practice/sets/{practice_set.slug}/start/").status_code == 302
    assert not Attempt.objects.exists()


def test_one_attempt_awaiting_a_score_per_set():
    member = MemberFactory()
    practice_set = PracticeSetFactory(scenarios=1)
    submitted(member, practice_set)
    with pytest.raises(FairUseError) as refused:
        services.attempt_start(member=member, practice_set=practice_set)
    assert refused.value.code == "awaiting_score"
    # Another set is fine.
    services.attempt_start(member=member, practice_set=PracticeSetFactory(scenarios=1))


def test_once_scored_the_set_can_be_taken_again():
    member = MemberFactory()
    attempt, _ = scored(member=member, practice_set=PracticeSetFactory(scenarios=2))
    again = services.attempt_start(member=member, practice_set=attempt.practice_set)
    assert again.pk != attempt.pk


def test_the_monthly_cap_counts_attempts_started_this_calendar_month(settings):
    settings.PRACTICE_MONTHLY_ATTEMPTS = 2
    with time_machine.travel(datetime(2026, 3, 30, 12, tzinfo=UTC), tick=False):
        member = MemberFactory()
        submitted(member, PracticeSetFactory(scenarios=1))
        submitted(member, PracticeSetFactory(scenarios=1))
        with pytest.raises(FairUseError) as refused:
            services.attempt_start(member=member, practice_set=PracticeSetFactory(scenarios=1))
        assert refused.value.code == "monthly_cap"
        assert "starts again on the 1st" in refused.value.message
    with time_machine.travel(datetime(2026, 4, 1, 0, 1, tzinfo=UTC), tick=False):
        services.attempt_start(member=member, practice_set=PracticeSetFactory(scenarios=1))


def test_the_rules_are_said_before_starting(client, settings):
    settings.PRACTICE_MONTHLY_ATTEMPTS = 8
    member = MemberFactory()
    practice_set = PracticeSetFactory(scenarios=1)
    submitted(member, practice_set)
    client.force_login(member)
    page = client.get("/practice/").content.decode()
    assert "one attempt per set waiting for a coach" in page
    assert "up to 8 attempts a calendar month" in page
    assert "You have started 1 this month; 7 left" in page
    assert "awaiting a coach" in page  # the set's place is taken, said where the button was
    assert f"/practice/sets/{practice_set.slug}/start/" not in page


def test_an_inactive_set_cannot_be_started(client):
    member = MemberFactory()
    practice_set = PracticeSetFactory(active=False)
    client.force_login(member)
    assert client.post(f"/practice/sets/{practice_set.slug}/start/").status_code == 404
    with pytest.raises(services.PracticeError):
        services.attempt_start(member=member, practice_set=practice_set)


def test_a_set_without_scenarios_says_so():
    with pytest.raises(services.PracticeError) as refused:
        services.attempt_start(member=MemberFactory(), practice_set=PracticeSetFactory(scenarios=0))
    assert refused.value.code == "empty_set"
    assert not Attempt.objects.exists()


def test_staff_may_practise_too():
    staff = BuyerFactory(is_staff=True)
    attempt = services.attempt_start(member=staff, practice_set=PracticeSetFactory())
    assert attempt.member == staff
    assert attempt.started_at <= datetime.now(UTC) + timedelta(seconds=1)
