import pytest
from django_q.models import Schedule

from medpath.schedules import MANAGED_PREFIX, SCHEDULES, sync_schedules


@pytest.mark.django_db
def test_every_listed_job_has_exactly_one_schedule_after_migrate():
    sync_schedules()
    sync_schedules()
    names = set(
        Schedule.objects.filter(name__startswith=MANAGED_PREFIX).values_list("name", flat=True)
    )
    assert names == {MANAGED_PREFIX + job.name for job in SCHEDULES}
    assert Schedule.objects.filter(name__startswith=MANAGED_PREFIX).count() == len(SCHEDULES)


@pytest.mark.django_db
def test_a_job_removed_from_the_list_loses_its_schedule():
    Schedule.objects.create(
        name=MANAGED_PREFIX + "gone", func="medpath.tasks.clear_expired_sessions"
    )
    sync_schedules()
    assert not Schedule.objects.filter(name=MANAGED_PREFIX + "gone").exists()


def test_every_scheduled_function_can_be_imported():
    from django.utils.module_loading import import_string

    for job in SCHEDULES:
        assert callable(import_string(job.func))
