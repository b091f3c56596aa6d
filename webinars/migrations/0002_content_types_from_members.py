"""The webinar models' content types move from `members` to `webinars`, so every permission
granted on them (the Coaching staff group's, anyone's by hand), admin log entries and anything
else that points at the content type keep pointing at the same models.

It runs after `accounts.0003`, which grants the Coaching staff group its webinar permissions
on a new database; on a database migrated before the move the rows simply change app label.
Where `webinars` content types exist already (post_migrate ran in between), their permissions
are merged into the moved ones."""

from django.db import migrations

MODELS = ("webinar", "webinarregistration")


def move_content_types(apps, schema_editor):
    _relabel(apps, from_label="members", to_label="webinars")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, from_label="webinars", to_label="members")


def _relabel(apps, *, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=to_label, model=model).first()
        if new is not None:
            # Keep the old row (it holds the grants); drop the new one's duplicate permissions.
            taken = set(Permission.objects.filter(content_type=old).values_list("codename", flat=True))
            for permission in Permission.objects.filter(content_type=new):
                if permission.codename in taken:
                    kept = Permission.objects.get(content_type=old, codename=permission.codename)
                    kept.group_set.add(*permission.group_set.all())
                    kept.user_set.add(*permission.user_set.all())
                    permission.delete()
                else:
                    permission.content_type = old
                    permission.save(update_fields=["content_type"])
            new.delete()
        old.app_label = to_label
        old.save(update_fields=["app_label"])


class Migration(migrations.Migration):
    dependencies = [
        ("webinars", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("accounts", "0003_staff_duty_groups"),
    ]

    operations = [migrations.RunPython(move_content_types, move_content_types_back)]
