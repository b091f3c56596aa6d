"""Is background work alive? What each recurring job last did, and the worker's heartbeat.

- `job_record_outcome` runs in the worker after every task (django-q2's `post_execute`,
  connected in medpath/apps.py) and, for a managed schedule's task, writes the job's last
  success or last failure (with the error) to its `JobState`.
- The worker's heartbeat is the last success of the one-minute `heartbeat` job
  (`medpath.tasks.heartbeat` → `worker_heartbeat`), recorded like any other job's; the job
  itself logs, once per episode, each job that turned late or failing (an ERROR, which Sentry
  picks up when it is configured) and each that recovered.
- `job_statuses` is what the admin's Background jobs page and `/readyz` show.

A job is late when its last success (or, before its first, its registration) is more than
three intervals old; failing when its last run failed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from core.schedules import Job
from medpath.models import JobState
from medpath.schedules import MANAGED_PREFIX, schedule_name, scheduled_jobs

logger = logging.getLogger(__name__)

HEARTBEAT = "heartbeat"
LATE_AFTER_INTERVALS = 3
# The first lines of a failure are enough to tell what broke; the worker's log has the rest.
ERROR_CHARS = 4000


@dataclass(frozen=True)
class JobStatus:
    job: Job
    next_run: datetime | None
    last_success_at: datetime | None
    last_failure_at: datetime | None
    last_error: str
    late: bool
    failing: bool

    @property
    def every(self) -> str:
        """ "every minute", "every 30 minutes", "hourly", "daily": the interval in words."""
        minutes = self.job.minutes
        if minutes == 1:
            return "every minute"
        if minutes % (24 * 60) == 0:
            days = minutes // (24 * 60)
            return "daily" if days == 1 else f"every {days} days"
        if minutes % 60 == 0:
            hours = minutes // 60
            return "hourly" if hours == 1 else f"every {hours} hours"
        return f"every {minutes} minutes"

    @property
    def problem(self) -> str:
        if self.failing:
            return JobState.Problem.FAILING
        if self.late:
            return JobState.Problem.LATE
        return JobState.Problem.NONE


def _status(job: Job, state: JobState | None, next_run, now: datetime) -> JobStatus:
    last_success = state.last_success_at if state else None
    last_failure = state.last_failure_at if state else None
    since = last_success or (state.registered_at if state else None)
    late = since is not None and now - since > LATE_AFTER_INTERVALS * timedelta(minutes=job.minutes)
    failing = last_failure is not None and (last_success is None or last_failure > last_success)
    return JobStatus(
        job=job,
        next_run=next_run,
        last_success_at=last_success,
        last_failure_at=last_failure,
        last_error=state.last_error if state and failing else "",
        late=late,
        failing=failing,
    )


def job_statuses(
    *, now: datetime | None = None, states: Iterable[JobState] | None = None
) -> list[JobStatus]:
    """Every recurring job with its schedule's next run and its record (read here unless
    `states` are given), by name."""
    now = now or timezone.now()
    by_name = {
        state.name: state for state in (JobState.objects.all() if states is None else states)
    }
    next_runs = dict(
        Schedule.objects.filter(name__startswith=MANAGED_PREFIX).values_list("name", "next_run")
    )
    return [
        _status(job, by_name.get(job.name), next_runs.get(schedule_name(job)), now)
        for job in scheduled_jobs()
    ]


def heartbeat_of(statuses: Iterable[JobStatus]) -> JobStatus:
    """The heartbeat job's status: its last success is when the worker was last seen alive."""
    return next(status for status in statuses if status.job.name == HEARTBEAT)


def job_record_outcome(*, task: dict) -> None:
    """Write a finished task's outcome to its job's record, if it came from a managed schedule
    (django-q2 puts a scheduled task in the group named after its schedule)."""
    group = task.get("group") or ""
    if not isinstance(group, str) or not group.startswith(MANAGED_PREFIX):
        return
    name = group.removeprefix(MANAGED_PREFIX)
    finished = task.get("stopped") or timezone.now()
    if task.get("success"):
        updates = {"last_success_at": finished}
    else:
        updates = {"last_failure_at": finished, "last_error": str(task.get("result"))[:ERROR_CHARS]}
    JobState.objects.filter(name=name).update(**updates)


def record_task_outcome(sender, task, **kwargs) -> None:
    """django-q2's `post_execute` receiver; never lets a bookkeeping error reach the worker."""
    try:
        job_record_outcome(task=task)
    except Exception:
        logger.exception("could not record the outcome of task %s", task.get("name"))


def worker_heartbeat() -> int:
    """Log each job that turned late or failing, or recovered, once; returns how many jobs
    have a problem now. (The run itself, recorded by the worker, is the heartbeat.)"""
    now = timezone.now()
    problems = 0
    with transaction.atomic():
        states = list(JobState.objects.select_for_update())
        by_name = {state.name: state for state in states}
        for status in job_statuses(now=now, states=states):
            problem = status.problem
            problems += problem != JobState.Problem.NONE
            state = by_name.get(status.job.name)
            if state is None or state.reported == problem:
                continue
            if problem == JobState.Problem.FAILING:
                logger.error(
                    "background job %s is failing (last failure %s): %s",
                    status.job.name,
                    status.last_failure_at.isoformat(),
                    status.last_error.strip().splitlines()[0] if status.last_error else "",
                )
            elif problem == JobState.Problem.LATE:
                logger.error(
                    "background job %s is late: no success since %s (runs every %d min)",
                    status.job.name,
                    (status.last_success_at or state.registered_at).isoformat(),
                    status.job.minutes,
                )
            else:
                logger.info("background job %s is running again", status.job.name)
            state.reported = problem
            state.save(update_fields=["reported"])
    return problems
