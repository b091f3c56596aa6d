"""Demo practice: the sets in today's Casper format (`practice/casper_demo.py`), an older-format
CASPer-style set of four scenarios (written for MedPath), an MMI circuit
drawn from the question bank, and for the demo applicant one attempt already scored (so the
progress chart has a point, the competencies table its counts, and the results their own
ratings beside the coach's) and one waiting in the coaches' queue; and in today's format
(`practice/video_demo.py`) a video drill scored with its recorded answers, another waiting, and
the full-length simulation in progress.

Idempotent: sets are keyed on slug and created only when missing (an editor's changes
survive a reload); the demo attempts are made only when the applicant has none at the set.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from coaching.models import Coach, Service
from practice import casper_demo, services, video_demo
from practice.models import Attempt, Competency, PracticeSet, SetKind

CASPER_SLUG = "casper-practice-a"
MMI_SLUG = "mmi-circuit"

SCENARIOS = [
    (
        "The unfinished section",
        "You and three classmates share a presentation that counts towards your final mark. "
        "The evening before it is due, one of them tells you privately that they have not "
        "started their part, because a family member has been unwell. They ask you not to tell "
        "the others.",
        [
            "What would you do tonight, and why?",
            "What do you owe your classmate, and what do you owe the rest of the group?",
            "Describe a time you had to balance loyalty to one person against fairness to others.",
        ],
    ),
    (
        "At the pharmacy counter",
        "You volunteer at a community pharmacy. An older customer who speaks little English "
        "holds out a new prescription and a leaflet and asks you, with gestures, how to take the "
        "tablets. The pharmacist is on the phone with a doctor and the queue is growing.",
        [
            "What would you do in the next few minutes?",
            "What could go wrong if you explained the medication yourself?",
            "How could the pharmacy serve customers who do not share its language?",
        ],
    ),
    (
        "A photo from the night shift",
        "A friend who works as a hospital porter posts a photo from a busy emergency department "
        "with the caption “another wild night”. A patient on a stretcher can be recognised in "
        "the background. The post already has dozens of reactions.",
        [
            "What would you do, and in what order?",
            "Why might a well-meaning person post something like this?",
            "What should hospitals do so that staff understand patient privacy online?",
        ],
    ),
    (
        "One doctor, a long list",
        "A small rural clinic has one family physician and a waiting list of several months. "
        "The clinic's board asks you, as a community volunteer, whether new patients should be "
        "taken in the order they applied or by how urgent their needs are.",
        [
            "Which approach would you recommend, and why?",
            "Who could be disadvantaged by your recommendation, and how would you limit that?",
            "How would you explain the decision to someone who has waited longest?",
        ],
    ),
]

# What strong answers do, per scenario (shown once an attempt is submitted).
GUIDANCE = {
    "The unfinished section": "Strong answers act tonight without breaking the confidence: "
    "they help the classmate plan what can still be done, offer a fair share of help, and "
    "encourage them to tell the group themselves. They separate the family situation (theirs "
    "to share) from the work (the group's concern), and they do not cover for the classmate "
    "with a lie.",
    "At the pharmacy counter": "Strong answers keep the customer safe first: a volunteer does "
    "not explain a new medication. They reassure the customer, let the pharmacist know someone "
    "is waiting with a question, and look for what helps understanding (an interpreter line, "
    "a leaflet in the customer's language, a family member on the phone). They think about the "
    "queue without making the customer feel rushed.",
    "A photo from the night shift": "Strong answers ask the friend privately and promptly to "
    "take the photo down, explaining why a recognisable patient makes it a breach of privacy "
    "rather than a joke. They assume good intent, consider whether the hospital needs to know, "
    "and suggest training and clear rules rather than blame alone.",
    "One doctor, a long list": "Strong answers weigh fairness of order against the harm of "
    "waiting, and usually land on triage by need with safeguards: clear criteria, a review for "
    "people who have waited long, and help finding care elsewhere meanwhile. They explain the "
    "decision honestly to the person who waited longest and acknowledge that it is hard.",
}

DEMO_ANSWERS = [
    "I would help them make a realistic plan for tonight and offer to take a small piece "
    "myself. I would encourage them to tell the group, since the others will notice anyway.",
    "Loyalty and kindness to my classmate, and honesty to the group. I would not lie for them, "
    "but their family situation is theirs to share.",
    "In a lab group I covered for a partner once, then we agreed to tell the instructor together.",
]
SCORES = [
    (3, "Kind and practical. Name the deadline risk to the group sooner."),
    (
        2,
        "You explained the dosage yourself: say why waiting for the pharmacist is safer, "
        "and what you could do meanwhile (a phone interpreter, a printed leaflet).",
    ),
    (3, "Good order of steps. Add how you would support your friend afterwards."),
    (4, "Balanced and clear: you weighed fairness and urgency and gave a way to explain it."),
]

# The competencies the coach saw in each demo answer, and the applicant's own ratings.
TAGS = [
    ["Empathy", "Professionalism"],
    ["Communication", "Equity"],
    ["Ethics", "Professionalism", "Problem solving"],
    ["Equity", "Ethics", "Communication"],
]
SELF_RATINGS = [3, 3, 2, 3]


def _tags() -> dict[int, list[int]]:
    """TAGS as competency ids per position (names an editor removed are left out)."""
    ids = dict(Competency.objects.values_list("name", "pk"))
    return {
        position: [ids[name] for name in names if name in ids]
        for position, names in enumerate(TAGS, start=1)
    }


def _casper_set(service: Service) -> PracticeSet:
    return casper_demo.make_set(
        CASPER_SLUG,
        service=service,
        rows=[(title, prompt, *questions) for title, prompt, questions in SCENARIOS],
        reading=0,
        guidance=GUIDANCE,
        title="CASPer practice set A (older format)",
        kind=SetKind.CASPER,
        introduction="Four typed scenarios in the format Casper used before 2023: three "
        "questions and five minutes each, a short break after the second. Useful for "
        "practising typed answers; for today's test, take the full-length simulation.",
        sort_order=5,
        break_after=2,
        break_seconds=5 * 60,
    )


def _mmi_set(service: Service) -> PracticeSet:
    practice_set, _ = PracticeSet.objects.get_or_create(
        slug=MMI_SLUG,
        defaults={
            "title": "MMI circuit",
            "kind": SetKind.MMI,
            "service": service,
            "introduction": "Three stations from the question bank: two minutes to read each "
            "prompt, eight to answer. Record your spoken answer or type notes.",
            "station_count": 3,
        },
    )
    return practice_set


def _take(practice_set: PracticeSet, member, *, started) -> Attempt:
    """An attempt taken `started` ago with the demo answers, through the real services."""
    attempt = services.attempt_start(member=member, practice_set=practice_set, now=started)
    for row in attempt.scenarios.order_by("position"):
        opens = started + timedelta(minutes=4 * (row.position - 1))
        services.attempt_continue(attempt=attempt, now=opens)  # ends the break, if one runs
        for index, text in enumerate(DEMO_ANSWERS):
            services.answer_save(
                attempt=attempt,
                position=row.position,
                index=index,
                text=text,
                version=0,
                now=opens + timedelta(minutes=1),
            )
        services.scenario_submit(
            attempt=attempt, position=row.position, now=opens + timedelta(minutes=3)
        )
    return services.attempt_advance(attempt=attempt, now=timezone.now())


@transaction.atomic
def load() -> None:
    casper = Service.objects.filter(slug="casper-preparation").first()
    mmi = Service.objects.filter(slug="mock-interview-mmi").first()
    if casper is None or mmi is None:
        return
    practice_set = _casper_set(casper)
    full = casper_demo.load(casper)
    _mmi_set(mmi)
    member = get_user_model().objects.filter(email__iexact="applicant@example.com").first()
    coach = Coach.objects.filter(user__email__iexact="coach.london@example.com").first()
    if member is None or coach is None or Attempt.objects.filter(member=member).exists():
        return
    now = timezone.now()
    scored = _take(practice_set, member, started=now - timedelta(days=12))
    services.attempt_claim(attempt=scored, coach=coach, now=now - timedelta(days=11))
    services.attempt_score(
        attempt=scored,
        coach=coach,
        scores=dict(enumerate(SCORES, start=1)),
        competencies=_tags(),
    )
    services.attempt_return(attempt=scored, coach=coach, now=now - timedelta(days=10))
    services.attempt_self_rate(
        attempt=scored, member=member, ratings=dict(enumerate(SELF_RATINGS, start=1))
    )
    _take(practice_set, member, started=now - timedelta(days=1))
    drill = PracticeSet.objects.get(slug=casper_demo.VIDEO_DRILL_SLUG)
    video_demo.load(member=member, coach=coach, drill=drill, full=full)
