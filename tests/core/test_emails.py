import pytest
from django.db import transaction

from core.emails import send_templated_email

pytestmark = pytest.mark.django_db


def test_templated_email_has_text_html_and_attachment_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to="a@example.com",
            subject="Hello",
            template="booking/reminder",
            context={"booking": None, "recipient": "A", "lead": "soon"},
            attachments=[("x.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )
        assert mailoutbox == []  # nothing leaves before the commit
    (message,) = mailoutbox  # delivered through the django-q2 task "core.emails.deliver"
    assert message.to == ["a@example.com"]
    assert message.subject == "Hello"
    assert "MedPath" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<html" in html
    assert message.attachments[0] == ("x.ics", "BEGIN:VCALENDAR", "text/calendar")


def test_rolled_back_transaction_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_templated_email(
                    to="a@example.com", subject="x", template="booking/reminder", context={}
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert mailoutbox == []


def test_the_queued_task_path_names_the_sender_module(monkeypatch):
    from django.utils.module_loading import import_string

    from core import emails

    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda path, *a, **k: queued.append(path))
    emails._queue({"template": "t"})
    assert queued == ["core.emails.deliver"]
    assert import_string(queued[0]) is emails.deliver


def test_plain_text_is_not_html_escaped_but_html_is(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to="a@example.com",
            subject="Hello",
            template="booking/reminder",
            context={"booking": None, "recipient": "Siobhán O'Neil <& Co>", "lead": "soon"},
        )
    (message,) = mailoutbox
    assert "Siobhán O'Neil <& Co>" in message.body
    assert "&#x27;" not in message.body
    html = message.alternatives[0][0]
    assert "O&#x27;Neil &lt;&amp; Co&gt;" in html
