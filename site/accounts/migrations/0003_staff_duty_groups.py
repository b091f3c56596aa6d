"""The staff duty groups beside Wagtail's Editors and Moderators (content): "Coaching staff"
(reviews, practice attempts, webinars, bookings) and "Finance" (orders, refunds, perks granted
or ended by hand), each with the admin rights its duty needs and nothing more
(`core/duties.py`); editors also get the practice sets, which are content.

Run again on a site that already has the groups, it only adds what is missing.
"""

from django.db import migrations

# (app label, model, actions or custom codenames)
VIEW_ONLY = ["view"]
DUTY_PERMISSIONS = {
    "Coaching staff": [
        ("wagtailadmin", "admin", ["access_admin"]),
        ("booking", "booking", VIEW_ONLY),
        ("reviews", "review", ["view", "reassign_review"]),
        ("practice", "practiceset", VIEW_ONLY),
        ("practice", "attempt", VIEW_ONLY),
        ("members", "webinar", ["add", "change", "view", "export_webinar_attendees"]),
        ("members", "webinarregistration", VIEW_ONLY),
    ],
    # Content: the practice sets themselves (README: editors build them), beside the pages,
    # catalogue and members' area the earlier migrations grant.
    "Editors": [("practice", "practiceset", ["add", "change", "delete", "view"])],
    "Moderators": [("practice", "practiceset", ["add", "change", "delete", "view"])],
    "Finance": [
        ("wagtailadmin", "admin", ["access_admin"]),
        ("payments", "order", ["view", "refund_order"]),
        ("payments", "refund", VIEW_ONLY),
        ("members", "entitlement", ["add", "view", "end_entitlement"]),
    ],
}


NEW_GROUPS = ["Coaching staff", "Finance"]


def _codename(action: str, model: str) -> str:
    return f"{action}_{model}" if action in ("add", "change", "delete", "view") else action


def create_duty_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations ran (post_migrate); make them now
    # (Wagtail's "access admin" is made by its own migration).
    for label in {app for rows in DUTY_PERMISSIONS.values() for app, _, _ in rows} - {
        "wagtailadmin"
    }:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, rows in DUTY_PERMISSIONS.items():
        if name in NEW_GROUPS:
            group, _ = Group.objects.get_or_create(name=name)
        else:  # Wagtail's own groups: only where its migrations made them
            group = Group.objects.filter(name=name).first()
            if group is None:
                continue
        for app_label, model, actions in rows:
            codenames = [_codename(action, model) for action in actions]
            permissions = list(
                Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=codenames,
                )
            )
            if len(permissions) != len(codenames):
                raise RuntimeError(f"missing permissions for {name}: {app_label}.{codenames}")
            group.permissions.add(*permissions)


def remove_duty_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_current_time_zone_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("booking", "0003_meeting_room"),
        ("reviews", "0001_initial"),
        ("practice", "0001_initial"),
        ("members", "0004_webinars"),
        ("payments", "0004_entitlements_for_past_orders"),
    ]

    operations = [migrations.RunPython(create_duty_groups, remove_duty_groups)]
