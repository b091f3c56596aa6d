"""The members' library collection (gated by the resource-library perk) and editors' rights to
keep the school guide and the question bank."""

from django.db import migrations

COLLECTION_NAME = "Members' library"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's MP_Node path alphabet
STEPLEN = 4


def _next_child_path(parent, children) -> str:
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step.rjust(STEPLEN, "0")


def create_members_collection(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    GatedCollection = apps.get_model("members", "GatedCollection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    collection = Collection.objects.filter(depth=2, name=COLLECTION_NAME).first()
    if collection is None:
        children = Collection.objects.filter(depth=2, path__startswith=root.path)
        collection = Collection.objects.create(
            name=COLLECTION_NAME, path=_next_child_path(root, children), depth=2, numchild=0
        )
        root.numchild = children.count()
        root.save(update_fields=["numchild"])
    GatedCollection.objects.get_or_create(
        collection=collection, defaults={"perk": "resource_library"}
    )


def grant_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("members")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="members",
        content_type__model__in=["school", "question"],
        codename__regex=r"^(add|change|delete|view)_",
    )
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_school_guide_question_bank_gated_collections"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_members_collection, migrations.RunPython.noop),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
