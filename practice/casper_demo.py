"""Demo practice in today's Casper format (the 2026–2027 format the data migration installs):
one full-length set of eleven scenarios written for MedPath, and two drills (the video section
alone, the typed section alone).

Idempotent like `practice/demo.py`: each set is keyed on its slug and made only when missing,
so an editor's changes survive a reload. Formats are data: the typed drill's format is made
here the way an editor would make it in Admin → Practice formats.
"""

from __future__ import annotations

from coaching.models import Service
from practice.formats import add_sections, current_format
from practice.models import PracticeFormat, PracticeSet, ResponseKind, Scenario

FULL_SLUG = "casper-full-length"
VIDEO_DRILL_SLUG = "casper-video-drill"
TYPED_DRILL_SLUG = "casper-typed-drill"

# Four answered on camera, then seven typed: (title, prompt, first question, second question).
VIDEO_SCENARIOS = [
    (
        "The borrowed notes",
        "A classmate who missed a week of lectures through illness asks to copy your detailed "
        "notes the night before an exam. You spent many evenings on them, and a second student "
        "you barely know overhears and asks for a copy too.",
        "What would you say to each of them, and why?",
        "When is sharing your work unfair to you, and when is refusing unfair to others?",
    ),
    (
        "The late bus",
        "You coach a youth football team. After practice one parent has not arrived, the field "
        "is emptying, and it is getting dark. The child says their parent is often late and "
        "asks to walk home alone.",
        "What would you do in the next half hour?",
        "How would you speak with the parent afterwards?",
    ),
    (
        "Credit for the idea",
        "In a group project, the idea that won praise from the instructor came from a quiet "
        "teammate. During the presentation another member describes it as their own, and the "
        "quiet teammate says nothing.",
        "What, if anything, would you do, and when?",
        "Tell us about a time you spoke up for someone else.",
    ),
    (
        "The new volunteer",
        "At a food bank where you volunteer, a new volunteer keeps correcting clients' English "
        "while handing out food. Several clients look embarrassed, and one leaves without "
        "taking anything.",
        "How would you handle this today?",
        "What could the food bank do so that every client feels welcome?",
    ),
]
TYPED_SCENARIOS = [
    (
        "A full waiting room",
        "You work at the front desk of a walk-in clinic. A man who arrived an hour ago becomes "
        "angry that a woman who came in after him was seen first. Other patients are watching.",
        "What would you say to him?",
        "How should a clinic explain the order in which people are seen?",
    ),
    (
        "The shortcut",
        "You are a research assistant. Your supervisor, under pressure from a grant deadline, "
        "asks you to leave out three survey responses that weaken the results, saying they are "
        "probably mistakes.",
        "What would you do?",
        "Why does honesty in research matter to people who never read the study?",
    ),
    (
        "A friend's driving",
        "A close friend has started driving home after parties where they have been drinking, "
        "saying they feel fine. Tonight they offer you and two others a ride.",
        "What would you do tonight?",
        "How would you raise it with your friend the next day?",
    ),
    (
        "Two shifts, one weekend",
        "You promised weeks ago to help your sibling move house on Saturday. On Thursday your "
        "manager asks you to cover an extra shift that day, hinting that it matters for the "
        "promotion you want.",
        "How would you decide, and what would you tell each of them?",
        "Describe a time when two commitments pulled you in different directions.",
    ),
    (
        "The translated form",
        "A hospital asks volunteers who speak other languages to help patients fill in consent "
        "forms. A patient you are helping asks what you would do in their place.",
        "How would you answer the patient?",
        "What are the risks of asking volunteers to help with consent?",
    ),
    (
        "The group chat",
        "In your residence's group chat, a few students start mocking a floormate's accent. "
        "The floormate is in the chat and has gone quiet. Nobody else has replied.",
        "What would you do, and would you do it in the chat or elsewhere?",
        "What makes people stay silent in moments like this?",
    ),
    (
        "The last appointment",
        "A rural clinic has one appointment left this week. Two people call within minutes: an "
        "older man with a cough that has lasted a month, and a young mother whose child has "
        "had a fever since this morning.",
        "How would you decide who gets the appointment?",
        "What would you do for the person who does not get it?",
    ),
]

# What strong answers do, per scenario (shown once an attempt is submitted).
GUIDANCE = {
    "The borrowed notes": "Strong answers treat the two requests differently and say why: "
    "helping a classmate who was ill is generous, handing your work to a stranger may not be. "
    "They offer something fair to both (going over the notes together, pointing to the "
    "course's own materials) and stay honest about their own limits.",
    "The late bus": "Strong answers never leave the child alone and never send them walking "
    "home in the dark. They try the parent and any emergency contact, wait somewhere safe and "
    "visible, ideally with another adult, and follow the club's rules. Afterwards they raise "
    "the pattern with the parent calmly and without shaming.",
    "Credit for the idea": "Strong answers find a way to credit the quiet teammate without "
    "humiliating the presenter, for example by mentioning their contribution during questions "
    "or speaking to the group afterwards. They check what the teammate wants before acting "
    "for them.",
    "The new volunteer": "Strong answers step in now, privately and kindly: they assume the "
    "volunteer means well, explain how the corrections land, and make sure the client who left "
    "is followed up if possible. They suggest a welcome guide or training so that it does not "
    "depend on one person noticing.",
    "A full waiting room": "Strong answers acknowledge the man's frustration before explaining, "
    "in plain words, that people are seen by urgency as well as arrival, without sharing "
    "anything about the other patient. They give him a realistic idea of the wait and what he "
    "can do if he feels worse.",
    "The shortcut": "Strong answers do not delete the data. They ask respectfully why the "
    "responses might be errors, suggest handling them openly (a documented exclusion rule, a "
    "sensitivity analysis), and know where to turn, such as a research ethics office, if the "
    "pressure continues.",
    "A friend's driving": "Strong answers keep everyone off the road tonight: they refuse the "
    "ride, take the keys if they can, and arrange another way home for all. The next day they "
    "talk with the friend privately, out of care rather than accusation, and make a plan "
    "together.",
    "Two shifts, one weekend": "Strong answers weigh the promise against the opportunity "
    "openly, look for a third option (another helper, part of a shift, a different day), and "
    "tell both people the truth early. They do not decide only by what looks good to the "
    "manager.",
    "The translated form": "Strong answers do not tell the patient what to choose. They "
    "translate faithfully, encourage the patient to ask the clinician their questions, and ask "
    "for a professional interpreter when consent is at stake, knowing a volunteer's own "
    "opinion can sway the decision.",
    "The group chat": "Strong answers do something rather than nothing: they check on the "
    "floormate privately, and decide whether to say in the chat that the jokes are not okay "
    "or to speak to the students directly. They know when to bring in a residence advisor.",
    "The last appointment": "Strong answers decide by need, asking a few more questions before "
    "choosing: a young child's fever may need care today, and a month-long cough needs "
    "attention soon. They make sure the other person has a next step, such as a nurse line, a "
    "walk-in clinic or the next opening, and know when to send someone to emergency.",
}


QUESTION_FIELDS = ("question_1", "question_2", "question_3")


def make_set(
    slug: str,
    *,
    service: Service,
    rows,
    practice_format=None,
    reading=20,
    guidance: dict | None = None,
    **details,
) -> PracticeSet:
    """The demo set `slug`, made with its scenarios (each row: title, prompt, questions...)
    when missing; an existing one is left as editors have it."""
    practice_set, created = PracticeSet.objects.get_or_create(
        slug=slug, defaults={"service": service, "format": practice_format, **details}
    )
    if created:
        Scenario.objects.bulk_create(
            Scenario(
                practice_set=practice_set,
                sort_order=order,
                title=title,
                prompt=prompt,
                reading_seconds=reading,
                guidance=(guidance or GUIDANCE).get(title, ""),
                **dict(zip(QUESTION_FIELDS, questions, strict=False)),
            )
            for order, (title, prompt, *questions) in enumerate(rows)
        )
    return practice_set


def _typed_drill_format() -> PracticeFormat:
    practice_format, created = PracticeFormat.objects.get_or_create(
        name="Casper typed-response drill",
        cycle="2026–2027",
        defaults={
            "current": True,
            "description": "Three typed scenarios as today's test times them: two questions "
            "shown together, three and a half minutes for both.",
        },
    )
    if created:
        add_sections(practice_format, [("Typed responses", ResponseKind.TYPED, 3, False, 210, 0)])
    return practice_format


def load(service: Service) -> PracticeSet:
    """The three sets; returns the full-length one."""
    current = current_format()
    full = make_set(
        FULL_SLUG,
        service=service,
        practice_format=current,
        rows=VIDEO_SCENARIOS + TYPED_SCENARIOS,
        title="Casper full-length simulation",
        introduction="The whole test in today's order and timing: four scenarios answered on "
        "camera (two questions each, one at a time, a minute per answer), an optional "
        "ten-minute break, then seven typed scenarios (both questions together, three and a "
        "half minutes) with an optional five-minute break after the fourth. Sit it in one go, "
        "somewhere quiet, with your camera and microphone on.",
        sort_order=0,
    )
    make_set(
        VIDEO_DRILL_SLUG,
        service=service,
        practice_format=current,
        rows=VIDEO_SCENARIOS[:2],
        title="Casper drill: answering on camera",
        introduction="Two video-response scenarios: a minute per question, the next question "
        "opening by itself. Good for getting used to speaking to the camera.",
        sort_order=1,
    )
    make_set(
        TYPED_DRILL_SLUG,
        service=service,
        practice_format=_typed_drill_format(),
        rows=TYPED_SCENARIOS[:3],
        title="Casper drill: typed responses",
        introduction="Three typed scenarios: both questions shown together, three and a half "
        "minutes to answer them.",
        sort_order=2,
    )
    return full
