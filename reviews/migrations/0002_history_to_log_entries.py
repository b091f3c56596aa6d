"""Reviews' timeline moves from the `ReviewEvent` table into the one history (`core.history`,
Wagtail's `ModelLogEntry`): every row becomes one entry with the same time, actor and action
(prefixed "review."), its note as the entry's reason and its statuses in `data`. Nothing is
dropped here; 0003 removes the emptied model. Reversible: the entries go back into the table."""

from django.db import migrations

CHUNK = 2000


def _review_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="reviews", model="review")[0]


def _data(event) -> dict:
    pairs = (
        ("reason", event.note),
        ("from_status", event.from_status),
        ("to_status", event.to_status),
    )
    return {name: value for name, value in pairs if value}


def events_to_entries(apps, schema_editor):
    ReviewEvent = apps.get_model("reviews", "ReviewEvent")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    review_type = _review_type(apps)
    events = ReviewEvent.objects.select_related("review").order_by("created_at", "id")
    batch = []
    for event in events.iterator(chunk_size=CHUNK):
        batch.append(
            ModelLogEntry(
                content_type_id=review_type.pk,
                object_id=str(event.review_id),
                label=f"Review {event.review.public_id}",
                action=f"review.{event.action}",
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
    ReviewEvent = apps.get_model("reviews", "ReviewEvent")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    entries = ModelLogEntry.objects.filter(
        content_type=_review_type(apps), action__startswith="review."
    ).order_by("timestamp", "id")
    for entry in entries.iterator(chunk_size=CHUNK):
        data = entry.data or {}
        ReviewEvent.objects.create(
            review_id=int(entry.object_id),
            action=entry.action.removeprefix("review."),
            actor_id=entry.user_id,
            note=data.get("reason", "")[:300],
            from_status=data.get("from_status", ""),
            to_status=data.get("to_status", ""),
            created_at=entry.timestamp,
        )
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(events_to_entries, entries_to_events)]
