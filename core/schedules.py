"""Recurring background jobs, declared where their task lives.

    from core.schedules import recurring

    @recurring("send-booking-reminders", minutes=5)
    def send_reminders() -> int:
        ...

The marker records the function (its dotted path, a unique job name and how often it runs)
and returns it unchanged, so it is still an ordinary django-q2 task. The project package
(`medpath.schedules`) imports every task module of the project, collects what is marked and
keeps django-q2's Schedule table in step with it on every `migrate`; a test parses every module
for the marker, so a recurring task cannot be declared and forgotten. One-off tasks (an email
handed to the worker) stay unmarked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """One recurring job: `name` is unique across the project, `func` is a dotted path."""

    name: str
    func: str
    minutes: int


_MARKED: dict[str, Job] = {}


def recurring(name: str, *, minutes: int) -> Callable:
    """Mark a module-level task function as a recurring job run every `minutes` minutes."""
    if not name or not name.replace("-", "").isalnum() or name != name.lower():
        raise ValueError(f"a job name is lower-case words joined by hyphens, not {name!r}")
    if minutes < 1:
        raise ValueError(f"job {name!r} must run at most once a minute, not every {minutes}")

    def mark(func: Callable) -> Callable:
        job = Job(name=name, func=f"{func.__module__}.{func.__qualname__}", minutes=minutes)
        taken = _MARKED.get(name)
        if taken is not None and taken.func != job.func:
            raise ValueError(f"job name {name!r} is taken by {taken.func}")
        _MARKED[name] = job
        func.recurring_job = job
        return func

    return mark


def marked_jobs() -> list[Job]:
    """Every job marked so far (in the modules imported so far), by name."""
    return sorted(_MARKED.values(), key=lambda job: job.name)
