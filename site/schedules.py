"""Every recurring background job, in one list, kept in sync with django-q2's Schedule table.

Apps add their jobs here (a dotted path to a task function and how often it runs). After each
`migrate`, `sync_schedules()` creates or updates one Schedule per entry, keyed on its name, and
deletes managed schedules that are no longer listed. The worker (`manage.py qcluster`) runs them.
"""

from dataclasses import dataclass

MANAGED_PREFIX = "medpath:"


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    minutes: int


SCHEDULES: list[Job] = [
    Job("publish-scheduled-pages", "medpath.cms.tasks.publish_scheduled_pages", minutes=1),
    Job("clear-expired-sessions", "medpath.tasks.clear_expired_sessions", minutes=24 * 60),
    # --- booking ---
    Job("expire-stale-holds", "booking.tasks.expire_stale_holds", minutes=1),
    Job("send-booking-reminders", "booking.tasks.send_reminders", minutes=5),
    # --- members ---
    Job("send-perk-expiry-notices", "members.tasks.send_expiry_notices", minutes=60),
    Job("send-webinar-reminders", "members.webinar_tasks.send_reminders", minutes=5),
    # --- practice ---
    Job("close-overdue-practice", "practice.tasks.close_overdue", minutes=1),
    Job("delete-expired-recordings", "practice.tasks.delete_expired_recordings", minutes=24 * 60),
    # --- reviews ---
    Job("send-review-reminders", "reviews.tasks.send_reminders", minutes=30),
    Job("send-review-overdue-notices", "reviews.tasks.send_overdue_notices", minutes=30),
    Job("auto-close-reviews", "reviews.tasks.auto_close", minutes=60),
    Job("purge-review-files", "reviews.tasks.purge_files", minutes=24 * 60),
    # --- payments ---
    Job("reconcile-orders", "payments.tasks.reconcile_orders", minutes=5),
]


def sync_schedules(**kwargs) -> None:
    from django_q.models import Schedule

    wanted = {MANAGED_PREFIX + job.name: job for job in SCHEDULES}
    for name, job in wanted.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": job.func,
                "schedule_type": Schedule.MINUTES,
                "minutes": job.minutes,
                "repeats": -1,
            },
        )
    Schedule.objects.filter(name__startswith=MANAGED_PREFIX).exclude(name__in=wanted).delete()
