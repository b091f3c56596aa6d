"""Demo people. Every demo account uses the password `medpath-demo` and a verified email."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission

from core.duties import COACHING_STAFF_GROUP, FINANCE_GROUP
from medpath.accounts.models import User

DEMO_PASSWORD = "medpath-demo"

DEMO_USERS = [
    # email, display name, time zone, role
    ("staff@example.com", "Sam Staff", "America/Toronto", "superuser"),
    ("editor@example.com", "Erin Editor", "America/Toronto", "editor"),
    ("coaching.staff@example.com", "Casey Coordinator", "America/Toronto", "coaching staff"),
    ("finance@example.com", "Farah Finance", "America/Toronto", "finance"),
    ("coach.toronto@example.com", "Dr. Priya Raman", "America/Toronto", "coach"),
    ("coach.london@example.com", "Dr. Tom Whitfield", "Europe/London", "coach"),
    ("applicant@example.com", "Amal Haddad", "Asia/Kolkata", "applicant"),
]


# What editors keep beyond what the migrations give Wagtail's Editors and Moderators groups
# (pages, images, documents, the catalogue and testimonials, the members' area): the site's
# navigation and footer (Settings → Navigation / Footer). On a new site a superuser ticks the
# same two under Settings → Groups; README and docs/catalogue.md say so.
EDITOR_SETTINGS_PERMISSIONS = ["change_navigationsettings", "change_footersettings"]


# One account per staff duty (core/duties.py): the editor above, and these two.
DUTY_GROUPS = {"coaching staff": COACHING_STAFF_GROUP, "finance": FINANCE_GROUP}


def load() -> list[tuple[str, str]]:
    """Create or update the demo users; returns (email, role) pairs for the printed summary."""
    # Wagtail's default groups: Editors may add and edit pages, Moderators may also publish.
    # The demo editor publishes guidance pages, so they belong to both.
    editor_groups = list(Group.objects.filter(name__in=["Editors", "Moderators"]))
    settings_permissions = Permission.objects.filter(
        content_type__app_label="cms", codename__in=EDITOR_SETTINGS_PERMISSIONS
    )
    for group in editor_groups:
        group.permissions.add(*settings_permissions)
    summary = []
    for email, name, zone, role in DEMO_USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email)
            user.set_password(DEMO_PASSWORD)
        user.display_name = name
        user.time_zone = zone
        user.is_staff = role not in {"coach", "applicant"}
        user.is_superuser = role == "superuser"
        user.save()
        if role == "editor":
            user.groups.add(*editor_groups)
        elif role in DUTY_GROUPS:
            # Made by the accounts migration with the admin rights of the duty (core/duties.py).
            user.groups.add(Group.objects.get(name=DUTY_GROUPS[role]))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        summary.append((email, role))
    return summary
