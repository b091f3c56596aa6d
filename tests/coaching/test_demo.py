import pytest
from django.core.management import call_command

from coaching.models import Coach, Package, PackageItem, PackagePerk, Service


def _counts():
    return tuple(
        model.objects.count() for model in (Service, Package, PackageItem, PackagePerk, Coach)
    )


@pytest.mark.django_db
def test_demo_catalogue_loads_twice_without_changing_anything():
    call_command("load_demo", force=True, quiet_logins=True)
    first = _counts()
    call_command("load_demo", force=True, quiet_logins=True)
    assert _counts() == first
    assert Package.objects.active().order_by("price_cents").first().price_cents == 34500
    zones = set(Coach.objects.values_list("time_zone", flat=True))
    assert zones == {"America/Toronto", "Europe/London"}
