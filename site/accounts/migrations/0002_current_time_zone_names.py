"""Profiles saved under an old zone name (Asia/Calcutta, US/Eastern) move to its current name
(Asia/Kolkata, America/New_York): the same clock, the name the zone list now offers."""

from django.db import migrations

from core.timezones import current_zone_name, is_current_zone


def to_current_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for zone in User.objects.values_list("time_zone", flat=True).distinct():
        current = current_zone_name(zone)
        if current and not is_current_zone(zone):
            User.objects.filter(time_zone=zone).update(time_zone=current)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_current_names, migrations.RunPython.noop),
    ]
