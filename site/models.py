"""What the web processes know about the background worker (medpath/background.py writes it).

django-q2 keeps its cluster statistics in the cache, which the local-memory cache of `make run`
does not share between processes, and prunes its Task table; these rows are the worker's own
account in the database, which every web process reads. The worker's heartbeat is the
one-minute `heartbeat` job's last success. Having a models module also makes
Django send this app's `post_migrate`, which registers the recurring jobs (medpath/apps.py).
"""

from django.db import models


class JobState(models.Model):
    """One recurring job's record: its last success, its last failure and what was reported.
    The worker writes the success or failure after each run (django-q2's `post_execute`)."""

    class Problem(models.TextChoices):
        NONE = "", "None"
        LATE = "late", "Late"
        FAILING = "failing", "Failing"

    name = models.CharField(max_length=100, primary_key=True)
    # When `migrate` first registered the job: a job that never succeeded is late from here.
    registered_at = models.DateTimeField()
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The problem last logged as an error, so each one is logged once, not every minute.
    reported = models.CharField(max_length=10, choices=Problem.choices, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
