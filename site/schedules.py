"""Every recurring background job, kept in sync with django-q2's Schedule table.

Jobs are declared where their task lives, with `core.schedules.recurring`. `scheduled_jobs()`
is what the project's task modules (`tasks.py`, `*_tasks.py` in every app) mark, found by
walking the apps' folders, so a new task module needs no entry anywhere. After each `migrate` (this app's
`post_migrate`, medpath/apps.py), `sync_schedules()` creates or updates one Schedule per job,
keyed on its name, deletes managed schedules no longer marked, and gives each job its
`JobState` row. The worker (`manage.py qcluster`) runs them; medpath/background.py records what
happened.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from django_q.models import Schedule

from core.schedules import Job, marked_jobs
from medpath.models import JobState

MANAGED_PREFIX = "medpath:"

# The project's packages: folder → the name it is imported as (site/ is the project package
# `medpath`); tests/test_architecture.py holds each to its layer.
_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {
    "core": "core",
    "coaching": "coaching",
    "booking": "booking",
    "members": "members",
    "webinars": "webinars",
    "reviews": "reviews",
    "practice": "practice",
    "payments": "payments",
    "site": "medpath",
}


def is_task_module(module_name: str) -> bool:
    last = module_name.rsplit(".", 1)[-1]
    return last == "tasks" or last.endswith("_tasks")


def task_modules() -> list[str]:
    """Dotted names of every task module in the project (migrations and tests aside)."""
    found = []
    for folder, package in PACKAGES.items():
        for module in pkgutil.walk_packages([str(_ROOT / folder)], prefix=f"{package}."):
            if ".migrations" not in module.name and is_task_module(module.name):
                found.append(module.name)
    return sorted(found)


@functools.cache
def scheduled_jobs() -> tuple[Job, ...]:
    """Every job marked in the project's task modules, by name."""
    for module_name in task_modules():
        importlib.import_module(module_name)
    return tuple(marked_jobs())


def schedule_name(job: Job) -> str:
    return MANAGED_PREFIX + job.name


def sync_schedules(using: str = "default", **kwargs) -> None:
    """One Schedule and one JobState per job; managed schedules no longer marked are deleted.

    An existing schedule keeps its `next_run` unless its interval changed (then it runs next
    after one new interval from now), so a deploy does not make every job run at once.
    """
    now = timezone.now()
    jobs = {schedule_name(job): job for job in scheduled_jobs()}
    schedules = Schedule.objects.using(using)
    existing = {s.name: s for s in schedules.filter(name__in=jobs)}
    for name, job in jobs.items():
        schedule = existing.get(name)
        if schedule is None:
            schedules.create(
                name=name,
                func=job.func,
                schedule_type=Schedule.MINUTES,
                minutes=job.minutes,
                repeats=-1,
                next_run=now,
            )
            continue
        wanted = (job.func, job.minutes, Schedule.MINUTES, -1)
        if (schedule.func, schedule.minutes, schedule.schedule_type, schedule.repeats) != wanted:
            if schedule.minutes != job.minutes:
                schedule.next_run = now + timedelta(minutes=job.minutes)
            schedule.func, schedule.minutes, schedule.schedule_type, schedule.repeats = wanted
            schedule.save()
    schedules.filter(name__startswith=MANAGED_PREFIX).exclude(name__in=jobs).delete()

    states = JobState.objects.using(using)
    names = {job.name for job in jobs.values()}
    recorded = set(states.values_list("name", flat=True))
    states.bulk_create(
        [JobState(name=name, registered_at=now) for name in sorted(names - recorded)],
        ignore_conflicts=True,
    )
    states.exclude(name__in=names).delete()
