"""Practice notifications, rendered and queued by the one email sender."""

from django.urls import reverse

from core.emails import send_to_person


def send_attempt_returned(attempt) -> None:
    send_to_person(
        attempt.member,
        subject=f"Your {attempt.practice_set.title} practice test is scored",
        template="practice/attempt_returned",
        context={
            "attempt": attempt,
            "scenarios": list(attempt.scenarios.order_by("position")),
            "attempt_path": reverse("practice:attempt", kwargs={"public_id": attempt.public_id}),
        },
    )
