"""Orders paid before perks had kinds get their entitlements once.

Each package line snapshots the perks with a kind that its package has now (coaching 0003
mapped the old perk texts to kinds and reported those it could not), then grants one
entitlement per perk from the payment date for the package's term, keyed by the same source
fulfilment uses, so running fulfilment again later grants nothing twice. Fully refunded
orders get nothing.
"""

import calendar

from django.db import migrations

GRANTING_STATUSES = ["paid", "partially_refunded"]


def add_months(moment, months):
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def grant_past_entitlements(apps, schema_editor):
    OrderLine = apps.get_model("payments", "OrderLine")
    PackagePerk = apps.get_model("coaching", "PackagePerk")
    Entitlement = apps.get_model("members", "Entitlement")
    lines = OrderLine.objects.filter(
        kind="package", order__status__in=GRANTING_STATUSES, order__paid_at__isnull=False
    ).select_related("order")
    for line in lines:
        perks = PackagePerk.objects.filter(package_id=line.package_id).exclude(kind="")
        line.perks = [{"kind": perk.kind, "text": perk.text} for perk in perks]
        line.save(update_fields=["perks"])
        paid_at = line.order.paid_at
        for perk in line.perks:
            Entitlement.objects.get_or_create(
                source=f"order-line:{line.pk}:perk:{perk['kind']}",
                defaults={
                    "member_id": line.order.buyer_id,
                    "perk": perk["kind"],
                    "starts_at": paid_at,
                    "ends_at": add_months(paid_at, line.validity_months),
                    "source_label": f"{line.name} (order {line.order.public_id[:8].upper()})",
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0003_order_line_perks"),
        ("coaching", "0003_perk_kinds"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_past_entitlements, migrations.RunPython.noop)]
