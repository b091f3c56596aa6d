"""Bookings' history moves from the `BookingEvent` table into the one history (`core.history`,
Wagtail's `ModelLogEntry`): every row becomes one entry with the same time, actor and action
(prefixed "booking."), its reason, start times and statuses in `data`. Nothing is dropped here;
0005 removes the emptied model. Reversible: the entries go back into the table."""

from django.db import migrations

FIELDS = ("reason", "from_start", "to_start", "from_status", "to_status")
TIMES = ("from_start", "to_start")
CHUNK = 2000


def _booking_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="booking", model="booking")[0]


def _data(event) -> dict:
    data = {}
    for name in FIELDS:
        value = getattr(event, name)
        if value:
            data[name] = value.isoformat() if name in TIMES else value
    return data


def events_to_entries(apps, schema_editor):
    BookingEvent = apps.get_model("booking", "BookingEvent")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    booking_type = _booking_type(apps)
    events = BookingEvent.objects.select_related("booking").order_by("created_at", "id")
    batch = []
    for event in events.iterator(chunk_size=CHUNK):
        batch.append(
            ModelLogEntry(
                content_type_id=booking_type.pk,
                object_id=str(event.booking_id),
                label=f"Booking {event.booking.public_id}",
                action=f"booking.{event.action}",
                timestamp=event.created_at,
                user_id=event.actor_id,
                data=_data(event),
            )
        )
        if len(batch) >= CHUNK:
            ModelLogEntry.objects.bulk_create(batch)
            batch = []
    ModelLogEntry.objects.bulk_create(batch)


def entries_to_events(apps, schema_editor):
    from django.utils.dateparse import parse_datetime

    BookingEvent = apps.get_model("booking", "BookingEvent")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    entries = ModelLogEntry.objects.filter(
        content_type=_booking_type(apps), action__startswith="booking."
    ).order_by("timestamp", "id")
    for entry in entries.iterator(chunk_size=CHUNK):
        data = entry.data or {}
        event = BookingEvent.objects.create(
            booking_id=int(entry.object_id),
            action=entry.action.removeprefix("booking."),
            actor_id=entry.user_id,
            reason=data.get("reason", ""),
            from_start=parse_datetime(data["from_start"]) if data.get("from_start") else None,
            to_start=parse_datetime(data["to_start"]) if data.get("to_start") else None,
            from_status=data.get("from_status", ""),
            to_status=data.get("to_status", ""),
        )
        # created_at is auto_now_add: set the entry's own time after the insert.
        BookingEvent.objects.filter(pk=event.pk).update(created_at=entry.timestamp)
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0003_meeting_room"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(events_to_entries, entries_to_events)]
