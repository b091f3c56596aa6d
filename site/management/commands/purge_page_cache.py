"""Make every page, fragment and route kept in the shared cache stale (site/page_cache.py).

Run once per deploy (the Procfile's release step, `make prod`): pages rendered by the previous
release's templates and code are not served by the new one.
"""

from django.core.management.base import BaseCommand

from medpath.page_cache import purge


class Command(BaseCommand):
    help = "Make every cached page, fragment and route stale (run on each deploy)."

    def handle(self, *args, **options):
        purge("deploy", navigation=True)
        self.stdout.write("Page cache purged.")
