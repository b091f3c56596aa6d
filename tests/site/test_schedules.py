"""Recurring jobs: declared where their task lives (`core.schedules.recurring`), registered by
every `migrate`, and none forgotten."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from core.schedules import recurring
from medpath.models import JobState
from medpath.schedules import (
    MANAGED_PREFIX,
    PACKAGES,
    scheduled_jobs,
    sync_schedules,
    task_modules,
)
from tests.test_architecture import ROOT, project_files

SCHEDULES = scheduled_jobs()  # every job the project marks


def managed_names() -> set[str]:
    return set(
        Schedule.objects.filter(name__startswith=MANAGED_PREFIX).values_list("name", flat=True)
    )


def _marked_functions() -> set[str]:
    """Dotted path of every function under a `@recurring(...)` marker, found by reading each
    module of the project (not by importing it)."""
    found = set()
    for package, path in project_files():
        if "/migrations/" in path:
            continue
        parts = [part for part in Path(path).with_suffix("").parts[1:] if part != "__init__"]
        module = ".".join([package, *parts])
        for node in ast.walk(ast.parse((ROOT / path).read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = call.attr if isinstance(call, ast.Attribute) else getattr(call, "id", "")
                if name == "recurring":
                    found.add(f"{module}.{node.name}")
    return found - {"core.schedules.recurring"}


@pytest.mark.django_db
def test_the_test_database_was_migrated_with_every_job_registered():
    """pytest-django built this database with `migrate`, as `make run`, `make prod`, the
    Procfile's release step and CI do: the schedules are there without anyone calling
    `sync_schedules`."""
    assert managed_names() == {MANAGED_PREFIX + job.name for job in SCHEDULES}
    assert set(JobState.objects.values_list("name", flat=True)) == {job.name for job in SCHEDULES}


@pytest.mark.django_db
def test_migrate_on_an_emptied_schedule_table_registers_every_job_once():
    Schedule.objects.all().delete()
    JobState.objects.all().delete()

    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)

    assert managed_names() == {MANAGED_PREFIX + job.name for job in SCHEDULES}
    assert Schedule.objects.filter(name__startswith=MANAGED_PREFIX).count() == len(SCHEDULES)
    heartbeat = Schedule.objects.get(name=MANAGED_PREFIX + "heartbeat")
    assert (heartbeat.func, heartbeat.minutes, heartbeat.repeats) == (
        "medpath.tasks.heartbeat",
        1,
        -1,
    )


def test_every_recurring_marker_in_the_project_is_scheduled():
    """A marked function in a module discovery does not import would never run."""
    marked = _marked_functions()
    assert len(marked) >= 14
    assert marked == {job.func for job in SCHEDULES}


def test_every_task_module_is_found():
    files = {
        path
        for folder in PACKAGES
        for pattern in ("tasks.py", "*_tasks.py")
        for path in (ROOT / folder).rglob(pattern)
        if "migrations" not in path.parts
    }
    assert len(task_modules()) == len(files)
    assert {"booking.tasks", "webinars.tasks", "medpath.cms.tasks"} <= set(task_modules())


def test_one_off_tasks_are_not_scheduled():
    assert "core.emails.deliver" not in {job.func for job in SCHEDULES}


def test_every_scheduled_function_can_be_imported_and_names_are_unique():
    assert len({job.name for job in scheduled_jobs()}) == len(scheduled_jobs())
    for job in SCHEDULES:
        assert callable(import_string(job.func))


def test_a_name_taken_by_another_function_is_refused():
    with pytest.raises(ValueError, match="taken"):
        recurring("heartbeat", minutes=1)(lambda: None)
    with pytest.raises(ValueError):
        recurring("Not A Name", minutes=1)
    with pytest.raises(ValueError):
        recurring("zero-minutes", minutes=0)


@pytest.mark.django_db
def test_a_job_removed_from_the_code_loses_its_schedule_and_record():
    Schedule.objects.create(
        name=MANAGED_PREFIX + "gone", func="medpath.tasks.clear_expired_sessions"
    )
    JobState.objects.create(name="gone", registered_at=timezone.now())
    Schedule.objects.create(name="someone-elses", func="medpath.tasks.clear_expired_sessions")

    sync_schedules()

    assert not Schedule.objects.filter(name=MANAGED_PREFIX + "gone").exists()
    assert not JobState.objects.filter(name="gone").exists()
    assert Schedule.objects.filter(name="someone-elses").exists()


@pytest.mark.django_db
def test_a_deploy_keeps_each_jobs_next_run_unless_its_interval_changed():
    later = timezone.now() + timedelta(hours=5)
    Schedule.objects.filter(name=MANAGED_PREFIX + "purge-review-files").update(next_run=later)
    Schedule.objects.filter(name=MANAGED_PREFIX + "reconcile-orders").update(minutes=7)

    sync_schedules()

    assert Schedule.objects.get(name=MANAGED_PREFIX + "purge-review-files").next_run == later
    changed = Schedule.objects.get(name=MANAGED_PREFIX + "reconcile-orders")
    assert changed.minutes == 5
    assert timezone.now() < changed.next_run <= timezone.now() + timedelta(minutes=5)
