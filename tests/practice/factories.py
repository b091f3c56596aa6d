"""Factories for practice: sets with their scenarios, and attempts at any stage.

`PracticeSetFactory(scenarios=2, scenarios__seconds=300)` makes a CASPer-style set (and
`scenarios__guidance="..."` gives each scenario that guidance); trait `mmi` a set of
stations drawn from the question bank. `AttemptFactory` starts a real attempt through the
service (so its clock and answer rows exist); traits `submitted`, `claimed`, `scored` take it
further the way applicants and coaches do.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from coaching.models import PerkKind
from members.models import Entitlement, Question, QuestionCategory, QuestionFormat
from practice import services
from practice.models import PracticeSet, Scenario, SetKind
from tests.accounts.factories import BuyerFactory
from tests.coaching.factories import CoachFactory, ServiceFactory


def grant_practice(member, *, days: int = 90) -> Entitlement:
    now = timezone.now()
    return Entitlement.objects.create(
        member=member,
        perk=PerkKind.PRACTICE_TESTS,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=days),
        source=f"test:{member.pk}:{Entitlement.objects.count()}",
    )


class MemberFactory(BuyerFactory):
    """A verified applicant holding the practice-tests perk for 90 days."""

    @factory.post_generation
    def practice(self, create, extracted, **kwargs):
        if create and extracted is not False:
            grant_practice(self)


class PracticeSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeSet
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Practice set {n}")
    slug = factory.Sequence(lambda n: f"practice-set-{n}")
    kind = SetKind.CASPER
    service = factory.SubFactory(ServiceFactory, slug=factory.Sequence(lambda n: f"casper-{n}"))

    class Params:
        mmi = factory.Trait(kind=SetKind.MMI, station_count=2)

    @factory.post_generation
    def scenarios(self, create, extracted, **kwargs):
        if not create or self.kind == SetKind.MMI:
            if (
                create
                and self.kind == SetKind.MMI
                and not Question.objects.filter(format=QuestionFormat.MMI).exists()
            ):
                for n in range(3):
                    Question.objects.create(
                        text=f"MMI prompt {n}",
                        format=QuestionFormat.MMI,
                        category=QuestionCategory.ETHICS,
                        coach_note="What a strong answer covers.",
                    )
            return
        count = 2 if extracted is None else extracted
        for n in range(count):
            Scenario.objects.create(
                practice_set=self,
                sort_order=n,
                title=f"Scenario {n + 1}",
                prompt=f"The situation of scenario {n + 1}.",
                question_1="What would you do?",
                question_2="Why?",
                question_3="What else matters?",
                time_limit_seconds=kwargs.get("seconds", 300),
                reading_seconds=kwargs.get("reading", 0),
                guidance=kwargs.get("guidance", ""),
            )


def scoring_coach(practice_set, **kwargs):
    """A coach who delivers the set's service."""
    return CoachFactory(services=[practice_set.service], **kwargs)


def start(member=None, practice_set=None, *, now=None):
    member = member or MemberFactory()
    practice_set = practice_set or PracticeSetFactory()
    return services.attempt_start(member=member, practice_set=practice_set, now=now)


def submitted(member=None, practice_set=None, *, now=None):
    """An attempt whose scenarios were all submitted (answered "An answer.")."""
    now = now or timezone.now()
    attempt = start(member, practice_set, now=now)
    for row in attempt.scenarios.order_by("position"):
        services.attempt_continue(attempt=attempt, now=now)
        services.answer_save(
            attempt=attempt, position=row.position, index=0, text="An answer.", version=0, now=now
        )
        services.scenario_submit(attempt=attempt, position=row.position, now=now)
    attempt.refresh_from_db()
    return attempt


def claimed(coach=None, **kwargs):
    attempt = submitted(**kwargs)
    coach = coach or scoring_coach(attempt.practice_set)
    return services.attempt_claim(attempt=attempt, coach=coach), coach


def scored(scores=None, **kwargs):
    """A returned attempt; `scores` per position (3 for each scenario by default)."""
    attempt, coach = claimed(**kwargs)
    scores = scores or [3] * attempt.scenarios.count()
    services.attempt_score(
        attempt=attempt,
        coach=coach,
        scores={n: (score, f"Comment {n}") for n, score in enumerate(scores, start=1)},
    )
    return services.attempt_return(attempt=attempt, coach=coach), coach
