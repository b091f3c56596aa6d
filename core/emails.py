"""The one module that renders and sends email for MedPath.

`send_templated_email` renders `templates/emails/<template>.txt` and `.html` (both extend the
shared layout in `templates/emails/base.*`) right away, while the caller's objects are at hand,
and queues the delivery after the current transaction commits (django-q2 `async_task`; tests
run the cluster in sync mode, so it sends at once). A rolled-back transaction sends nothing.

Each app keeps its own notifications (booking's confirmations and reminders, payments'
receipts) and sends them through here.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone

from core.timezones import is_valid_zone

logger = logging.getLogger(__name__)

# (filename, content, mimetype)
Attachment = tuple[str, str | bytes, str]


def send_templated_email(
    *,
    to: str | Sequence[str],
    subject: str,
    template: str,
    context: dict,
    attachments: Iterable[Attachment] = (),
    time_zone: str | None = None,
) -> None:
    """Render `emails/<template>.txt|.html` and send it once the transaction commits.

    `time_zone` (the recipient's IANA zone) makes `{{ some_datetime }}` in the templates show
    local times; without it times show in UTC.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    zone = zoneinfo.ZoneInfo(time_zone if time_zone and is_valid_zone(time_zone) else "UTC")
    full_context = {
        "site_url": settings.SITE_URL,
        "subject": subject,
        "time_zone": zone.key,
        **context,
    }
    with timezone.override(zone):
        text = engines["text"].get_template(f"emails/{template}.txt").render(full_context)
        html = render_to_string(f"emails/{template}.html", full_context)
    message = {
        "subject": f"{subject}",
        "to": recipients,
        "text": text,
        "html": html,
        "attachments": [
            (name, content.decode() if isinstance(content, bytes) else content, mimetype)
            for name, content, mimetype in attachments
        ],
        "template": template,
    }
    transaction.on_commit(lambda: _queue(message))


def send_to_person(
    person,
    *,
    subject: str,
    template: str,
    context: dict | None = None,
    attachments: Iterable[Attachment] = (),
) -> None:
    """`send_templated_email` to one account: its email address, its time zone for every shown
    time, and the account as `recipient` in the template's context (beside `context`)."""
    send_templated_email(
        to=person.email,
        subject=subject,
        template=template,
        context={"recipient": person, **(context or {})},
        attachments=attachments,
        time_zone=person.time_zone,
    )


def _queue(message: dict) -> None:
    from django_q.tasks import async_task

    async_task(
        "core.emails.deliver", message, task_name=f"email:{message['template']}", group="email"
    )


def deliver(message: dict) -> None:
    """django-q2 task: send one rendered message."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
    )
    email.attach_alternative(message["html"], "text/html")
    for name, content, mimetype in message["attachments"]:
        email.attach(name, content, mimetype)
    email.send()
    logger.info("sent email %s to %d recipient(s)", message["template"], len(message["to"]))
