"""Editors keep the catalogue: services, packages, coach profiles and testimonials.

Wagtail's Editors and Moderators groups only get page, image and document rights of their
own; without these the admin's Catalogue menu is missing for them (the README promises it).
"""

from django.db import migrations

CATALOGUE_MODELS = ["service", "package", "coach", "testimonial"]


def grant_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations ran (post_migrate); make them now.
    app_config = apps.get_app_config("coaching")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="coaching",
        content_type__model__in=CATALOGUE_MODELS,
        codename__regex=r"^(add|change|delete|view)_",
    )
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0005_coach_credentials_languages_testimonials"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
