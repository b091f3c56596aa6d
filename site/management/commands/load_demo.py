"""Load MedPath's demo content. Idempotent: running it again changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from booking import demo as booking_demo
from coaching import demo as coaching_demo
from medpath.accounts import demo as accounts_demo
from medpath.accounts.demo import DEMO_PASSWORD
from medpath.cms import demo as cms_demo
from medpath.cms import glossary_demo as cms_glossary_demo
from medpath.cms import members_demo as cms_members_demo
from members import demo as members_demo
from payments import demo as payments_demo
from practice import demo as practice_demo
from reviews import demo as reviews_demo
from webinars import demo as webinar_demo

# Each loader is a module with a `load()` function, run in this order (later ones use earlier).
LOADERS = [
    accounts_demo,
    coaching_demo,
    booking_demo,
    reviews_demo,
    payments_demo,
    members_demo,
    webinar_demo,
    practice_demo,
    cms_demo,
    cms_glossary_demo,
    cms_members_demo,
]


class Command(BaseCommand):
    help = "Load the demo users and content (development and tests only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off. Never use this on a production database.",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, force=False, quiet_logins=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: set DEBUG=1 (or pass --force).")
        with transaction.atomic():
            users = []
            for loader in LOADERS:
                result = loader.load()
                if loader is accounts_demo:
                    users = result
        if not quiet_logins:
            self.stdout.write(self.style.SUCCESS("Demo content is loaded. Log in with:"))
            for email, role in users:
                self.stdout.write(f"  {email:<28} {DEMO_PASSWORD:<14} {role}")
