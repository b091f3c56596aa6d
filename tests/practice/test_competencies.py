"""Competencies as editable data: the data migration installs the ten aspects prep sites list
for Casper and never overwrites an editor's row; editors keep them in Admin → Practice
competencies."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError

from practice.models import Competency
from tests.accounts.factories import BuyerFactory

pytestmark = pytest.mark.django_db

TEN = [
    "Collaboration",
    "Communication",
    "Empathy",
    "Equity",
    "Ethics",
    "Motivation",
    "Problem solving",
    "Professionalism",
    "Resilience",
    "Self-awareness",
]


def _install():
    """Run the data migration's step again, as a database that already has rows would."""
    migration = importlib.import_module("practice.migrations.0005_competencies_data")
    migration.forwards(apps, None)


def test_the_migration_installed_the_ten_in_order_each_with_a_sentence():
    rows = list(Competency.objects.all())
    assert [row.name for row in rows] == TEN
    assert all(row.active and row.description.endswith(".") for row in rows)
    assert len({row.description for row in rows}) == 10


def test_running_it_again_keeps_an_editors_changes_and_adds_nothing_twice():
    empathy = Competency.objects.get(name="Empathy")
    empathy.description = "Our own words."
    empathy.sort_order = 1
    empathy.save()
    Competency.objects.filter(name="Equity").update(active=False)
    Competency.objects.filter(name="Ethics").update(name="ethics")  # renamed in lower case
    Competency.objects.create(name="Humility", description="Added by an editor.")
    _install()
    assert Competency.objects.count() == 11
    empathy.refresh_from_db()
    assert empathy.description == "Our own words." and empathy.sort_order == 1
    assert not Competency.objects.get(name="Equity").active
    assert not Competency.objects.filter(name="Ethics").exists()


def test_a_deleted_competency_comes_back_only_when_the_migration_runs_on_a_database_without_it():
    Competency.objects.filter(name="Resilience").delete()
    _install()
    assert Competency.objects.filter(name="Resilience").count() == 1


def test_two_competencies_cannot_share_a_name_in_any_case():
    with pytest.raises(IntegrityError):
        Competency.objects.create(name="EMPATHY")


def test_editors_list_add_and_edit_competencies_in_the_admin(client):
    client.force_login(BuyerFactory(is_staff=True, is_superuser=True))
    index = client.get("/admin/snippets/practice/competency/")
    page = index.content.decode()
    assert index.status_code == 200 and "Problem solving" in page
    assert "Practice competencies" in client.get("/admin/").content.decode()
    add = client.post(
        "/admin/snippets/practice/competency/add/",
        {"name": "Humility", "description": "Knows what they do not know.", "sort_order": "5"},
    )
    assert add.status_code == 302
    humility = Competency.objects.get(name="Humility")
    assert not humility.active  # an unticked box
    edit = client.get(f"/admin/snippets/practice/competency/edit/{humility.pk}/")
    assert edit.status_code == 200 and "Knows what they do not know." in edit.content.decode()
