"""Practice notifications, rendered and queued by the one email sender."""

from django.urls import reverse

from core.emails import send_templated_email


def send_attempt_returned(attempt) -> None:
    member = attempt.member
    send_templated_email(
        to=member.email,
        subject=f"Your {attempt.practice_set.title} practice test is scored",
        template="practice/attempt_returned",
        context={
            "recipient": member,
            "attempt": attempt,
            "scenarios": list(attempt.scenarios.order_by("position")),
            "attempt_path": reverse("practice:attempt", kwargs={"public_id": attempt.public_id}),
        },
        time_zone=member.time_zone,
    )
