"""Is background work alive: each job's last success and failure (recorded in the worker after
every task), the heartbeat, late and failing jobs logged once, the admin's page and /readyz."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Schedule
from django_q.scheduler import scheduler
from django_q.signals import post_execute
from django_q.tasks import async_task

from medpath.background import HEARTBEAT, job_statuses, worker_heartbeat
from medpath.models import JobState
from medpath.schedules import MANAGED_PREFIX, scheduled_jobs
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def status_of(name: str):
    return next(status for status in job_statuses() if status.job.name == name)


def fail(name: str, error: str = "RuntimeError: Stripe did not answer : Traceback ..."):
    """What django-q2's monitor sends after a scheduled task of job `name` failed."""
    post_execute.send(
        sender="django_q",
        task={
            "id": "t1",
            "name": "some-task",
            "group": MANAGED_PREFIX + name,
            "func": "payments.tasks.reconcile_orders",
            "success": False,
            "result": error,
            "stopped": timezone.now(),
        },
    )


def beat():
    """One run of the heartbeat job as its schedule hands it to the worker."""
    async_task("medpath.tasks.heartbeat", group=MANAGED_PREFIX + HEARTBEAT)


def test_the_scheduler_runs_every_due_job_and_each_records_its_success():
    Schedule.objects.filter(name__startswith=MANAGED_PREFIX).update(
        next_run=timezone.now() - timedelta(minutes=1)
    )

    scheduler(broker=get_broker())  # the worker's scheduler; tests run its tasks in-process

    states = {state.name: state for state in JobState.objects.all()}
    assert {name for name, state in states.items() if state.last_success_at} == {
        job.name for job in scheduled_jobs()
    }
    assert status_of(HEARTBEAT).last_success_at > timezone.now() - timedelta(minutes=1)
    for schedule in Schedule.objects.filter(name__startswith=MANAGED_PREFIX):
        assert schedule.next_run > timezone.now()


def test_a_task_outside_the_managed_schedules_records_nothing():
    async_task("medpath.tasks.heartbeat", group="something-else")
    async_task("medpath.tasks.heartbeat")
    assert not JobState.objects.filter(last_success_at__isnull=False).exists()


def test_a_failure_is_recorded_with_its_error_until_the_next_success():
    fail("reconcile-orders")
    status = status_of("reconcile-orders")
    assert status.failing and "Stripe did not answer" in status.last_error

    async_task("payments.tasks.reconcile_orders", group=MANAGED_PREFIX + "reconcile-orders")
    status = status_of("reconcile-orders")
    assert not status.failing and status.last_error == ""
    assert status.last_success_at > status.last_failure_at


def test_a_bookkeeping_error_never_reaches_the_worker(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("medpath.background.job_record_outcome", broken)
    with caplog.at_level(logging.ERROR, logger="medpath.background"):
        fail("reconcile-orders")  # the worker's monitor goes on

    assert caplog.messages == ["could not record the outcome of task some-task"]
    assert not status_of("reconcile-orders").failing


def test_a_job_is_late_after_three_intervals_without_a_success():
    JobState.objects.update(registered_at=timezone.now(), last_success_at=None)
    with time_machine.travel(timezone.now() + timedelta(minutes=2, seconds=59)):
        assert not status_of("expire-stale-holds").late
    with time_machine.travel(timezone.now() + timedelta(minutes=3, seconds=1)):
        assert status_of("expire-stale-holds").late
        assert not status_of("reconcile-orders").late  # every 5 minutes: late after 15


def test_the_heartbeat_logs_a_late_or_failing_job_once_and_its_recovery(caplog):
    JobState.objects.update(registered_at=timezone.now(), last_success_at=timezone.now())
    fail("reconcile-orders")
    caplog.set_level(logging.INFO, logger="medpath.background")

    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        worker_heartbeat()
        worker_heartbeat()
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert sum("reconcile-orders is failing" in message for message in errors) == 1
    assert "Stripe did not answer" in next(m for m in errors if "reconcile-orders" in m)
    assert sum("expire-stale-holds is late" in message for message in errors) == 1
    assert not any("purge-review-files" in message for message in errors)  # daily

    caplog.clear()
    async_task("payments.tasks.reconcile_orders", group=MANAGED_PREFIX + "reconcile-orders")
    worker_heartbeat()
    assert "background job reconcile-orders is running again" in caplog.messages
    assert not [r for r in caplog.records if r.levelno == logging.ERROR and "reconcile" in r.msg]


def test_readyz_reports_the_heartbeat_and_late_jobs_without_failing_readiness(client):
    JobState.objects.update(registered_at=timezone.now() - timedelta(days=10))
    fail("reconcile-orders")

    body = client.get("/readyz").json()

    assert body["status"] == "ok"
    assert body["background"]["heartbeat"] is None
    assert "expire-stale-holds" in body["background"]["late"]
    assert body["background"]["failing"] == ["reconcile-orders"]

    beat()
    assert client.get("/readyz").json()["background"]["heartbeat"] is not None


def test_the_admin_page_lists_every_job_with_its_interval_record_and_next_run(client):
    editor = UserFactory(editor=True, time_zone="America/Toronto")
    client.force_login(editor)
    fail("reconcile-orders", error="RuntimeError: <b>Stripe</b> did not answer : Traceback")

    response = client.get("/admin/background-jobs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "No heartbeat yet" in html
    for job in scheduled_jobs():
        assert job.name in html
    assert "every 5 minutes" in html and "daily" in html and "every minute" in html
    assert "Failing" in html and "&lt;b&gt;Stripe&lt;/b&gt;" in html
    assert "Last success (Toronto)" in html

    beat()
    html = client.get("/admin/background-jobs/").content.decode()
    assert "The worker's last heartbeat" in html and "may be stopped" not in html


def test_the_reports_menu_offers_the_page_to_staff_with_a_duty(client):
    client.force_login(UserFactory(finance=True))
    assert "/admin/background-jobs/" in client.get("/admin/").content.decode()
    client.force_login(UserFactory(staff=True))
    assert client.get("/admin/background-jobs/").status_code == 302
