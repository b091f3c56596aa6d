"""The one history of what happened to any object: who, what, when, why.

Every domain object (bookings, reviews, attempts, registrations, entitlements, orders) writes
its history here, as entries of Wagtail's audit log (`wagtail.models.ModelLogEntry`), so the
admin's own log views see them too. An entry holds the object's type and id, a namespaced
action ("booking.cancelled"), the acting user (none when the system acted), the time, and
`data`: ids, statuses, ISO times and a short reason. It never copies personal data (names,
emails, answers), so closing an account erases a person from history by `forget_person`.

Each app names its actions in `<app>/history.py` (a `TextChoices` whose values carry the
app's prefix) and registers them with Wagtail in its `wagtail_hooks.py` through
`register_actions`; recording an unregistered action is refused (Wagtail validates it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

REASON_LIMIT = 500


def register_actions(actions, *choices: type[models.TextChoices]) -> None:
    """Register each action of the given choices with Wagtail's log-action registry (the
    `register_log_actions` hook's argument), its label as both label and message."""
    for choice_set in choices:
        for value, label in choice_set.choices:
            actions.register_action(value, label, label)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _label(obj: models.Model) -> str:
    # The model's own `history_label` where it has one (it must name no person), else the type
    # and the opaque id: never the object's str(), which may hold a person's name.
    label = getattr(obj, "history_label", None)
    if label:
        return label
    ident = getattr(obj, "public_id", None) or obj.pk
    return f"{obj._meta.verbose_name.capitalize()} {ident}"


def record(
    obj: models.Model,
    action: str,
    *,
    actor=None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> ModelLogEntry:
    """Add one entry to `obj`'s history and return it. `actor` is the user who acted (None, or
    an unsaved/anonymous user, for the system); `reason` is cut to 500 characters; `data`
    keeps only non-empty values, dates as ISO text and model instances as their ids. Runs in
    the caller's transaction, so a rolled-back change leaves no entry."""
    payload = {key: _plain(value) for key, value in (data or {}).items() if value not in ("", None)}
    if reason:
        payload["reason"] = reason[:REASON_LIMIT]
    return ModelLogEntry.objects.log_action(
        obj,
        action,
        user=actor if getattr(actor, "pk", None) else None,
        title=_label(obj),
        data=payload,
        timestamp=at or timezone.now(),
    )


# A coach's public name lives on their profile, reached from the user by this relation name
# (coaching.Coach.user's related_name); read by name only, so core imports no app.
COACH_RELATION = "coach"


def entries_for(*objects: models.Model, with_coach: bool = False):
    """The history entries of `objects` (one or several, of any models) merged, oldest first
    (ties by insertion order), with their users (and the users' coach profiles when
    `with_coach`), in one query."""
    ids_by_type: dict[ContentType, list[str]] = {}
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        ids_by_type.setdefault(content_type, []).append(str(obj.pk))
    match = models.Q(pk__in=[])
    for content_type, ids in ids_by_type.items():
        match |= models.Q(content_type=content_type, object_id__in=ids)
    related = f"user__{COACH_RELATION}" if with_coach else "user"
    return ModelLogEntry.objects.filter(match).select_related(related).order_by("timestamp", "id")


def forget_person(user) -> int:
    """Erase a person from every history: their entries stay, acted by nobody. Returns how many
    entries changed. (Entries hold no other personal data; see the module docstring.)"""
    return ModelLogEntry.objects.filter(user_id=user.pk).update(user=None)


@dataclass(frozen=True)
class Entry:
    """One line of a timeline, ready for `templates/includes/history.html`."""

    at: datetime
    action: str
    label: str
    subject: str
    object_id: str
    who: str
    reason: str
    data: dict


def _coach_name(user) -> str:
    try:
        return getattr(user, COACH_RELATION).display_name
    except (AttributeError, ObjectDoesNotExist):
        return ""


def _who(user, *, viewer, applicant_id, staff: bool) -> str:
    if user is None:
        return ""
    if staff:
        return user.get_full_name() or user.get_username()
    if viewer is not None and user.pk == viewer.pk:
        return "you"
    if applicant_id is not None and user.pk == applicant_id:
        return "the applicant"
    return _coach_name(user) or "MedPath staff"


def _action_label(entry: ModelLogEntry) -> str:
    # get_formatter runs the register_log_actions hooks first (get_action_label does not, so it
    # fails in a process that has not logged anything yet); an action no app names any more is
    # shown by its name rather than breaking the page.
    formatter = registry.get_formatter(entry)
    return formatter.label if formatter is not None else entry.action


def timeline(*objects: models.Model, viewer=None, applicant_id=None, staff: bool = False):
    """The history of `objects` (one, or several merged: an order with its entitlements) as
    `Entry` lines, oldest first; each names its subject ("Order 7Kq…"). Staff (`staff=True`) see who acted by
    name; anyone else sees "you", "the applicant" (the user `applicant_id`), a coach's public
    display name, or "MedPath staff". The system's own entries name nobody."""
    return [
        Entry(
            at=entry.timestamp,
            action=entry.action,
            label=_action_label(entry),
            subject=entry.label,
            object_id=entry.object_id,
            who=_who(entry.user, viewer=viewer, applicant_id=applicant_id, staff=staff),
            reason=entry.data.get("reason", ""),
            data=entry.data,
        )
        for entry in entries_for(*objects, with_coach=not staff)
    ]


def timelines(objects, *, staff: bool = False) -> dict[Any, list[Entry]]:
    """Each object's timeline by its pk (an empty list where nothing happened), for a list of
    objects of one model, in one query: the admin's attendee and queue tables."""
    objects = list(objects)
    by_id: dict[Any, list[Entry]] = {obj.pk: [] for obj in objects}
    keys = {str(pk): pk for pk in by_id}
    for entry in timeline(*objects, staff=staff) if objects else []:
        by_id[keys[entry.object_id]].append(entry)
    return by_id
