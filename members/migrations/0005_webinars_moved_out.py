"""The webinar models now belong to the `webinars` app (`webinars.0001` took them into its
state on the same tables, `webinars.0002` moved their content types); here they leave the
members app's state. No table is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_webinars"),
        ("webinars", "0002_content_types_from_members"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="webinarregistration", name="webinar"),
                migrations.RemoveField(model_name="webinarregistration", name="entitlement"),
                migrations.RemoveField(model_name="webinarregistration", name="member"),
                migrations.DeleteModel(name="Webinar"),
                migrations.DeleteModel(name="WebinarRegistration"),
            ],
        ),
    ]
