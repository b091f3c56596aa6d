"""The reviewer queue at /coach/reviews/: work waiting for coaches, gathered from each app.

The queue is a list of `QueueItem`s built the same way from each kind of work (`KINDS`):
document reviews and practice attempts to score, each app read through selectors of the same
names (`to_claim_for`, `open_for`) and each item through `coaching.work_queue.WorkItem`. One
claim view serves every kind at `/coach/reviews/<kind>/<public id>/claim/`; each app's claim
service applies the one claim rule (`coaching.work_queue.claim_guard`: active, their service,
not their own work, the limit of open items across every kind, under a lock on the coach's
row), and every refusal comes back as a message on the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from django import forms
from django.contrib import messages
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from booking.views import coach_required
from coaching.models import MAX_OPEN_ITEMS_LIMIT, Coach
from coaching.services import coach_set_max_open_items
from coaching.work_queue import WorkItem
from core.errors import DomainError
from practice import selectors as practice_selectors
from practice import services as practice_services
from practice.models import Attempt
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews.models import Review


@dataclass(frozen=True)
class WorkKind:
    """One kind of work in the queue: where its items are read, found and claimed."""

    label: str
    model: type[models.Model]
    selectors: ModuleType  # with to_claim_for(coach) and open_for(coach)
    claim: Callable[[WorkItem, Coach], WorkItem]
    claimed_message: str


KINDS = {
    Review.work_kind: WorkKind(
        label="Document review",
        model=Review,
        selectors=review_selectors,
        claim=lambda item, coach: review_services.review_claim(review=item, coach=coach),
        claimed_message="It is yours. The review is due by the time shown.",
    ),
    Attempt.work_kind: WorkKind(
        label="Practice attempt to score",
        model=Attempt,
        selectors=practice_selectors,
        claim=lambda item, coach: practice_services.attempt_claim(attempt=item, coach=coach),
        claimed_message="It is yours to score.",
    ),
}


@dataclass(frozen=True)
class QueueItem:
    """One piece of work in the queue, whatever app it comes from."""

    kind: str  # a key of KINDS
    kind_label: str
    title: str
    applicant: str
    status_label: str
    due_at: datetime
    overdue: bool
    url: str | None  # the work page (own items)
    claim_url: str | None  # unassigned items
    size: str = ""  # how much there is to watch or read, where the kind says


def _queue_item(work: WorkItem, *, now: datetime, own: bool) -> QueueItem:
    return QueueItem(
        kind=work.work_kind,
        kind_label=KINDS[work.work_kind].label,
        title=work.work_title,
        applicant=str(work.work_owner),
        status_label=work.get_status_display(),
        due_at=work.work_due_at,
        overdue=work.work_due_at < now,
        url=work.get_work_url() if own else None,
        size=getattr(work, "work_size", ""),
        claim_url=None
        if own
        else reverse("coach_queue_claim", args=[work.work_kind, work.public_id]),
    )


def queue_context(coach: Coach, *, now: datetime) -> dict:
    mine, waiting = [], []
    for kind in KINDS.values():
        mine += [_queue_item(w, now=now, own=True) for w in kind.selectors.open_for(coach)]
        waiting += [_queue_item(w, now=now, own=False) for w in kind.selectors.to_claim_for(coach)]
    mine.sort(key=lambda item: item.due_at)
    waiting.sort(key=lambda item: item.due_at)
    open_items = len(mine)
    return {
        "coach": coach,
        "mine": mine,
        "waiting": waiting,
        "open_items": open_items,
        "limit": coach.max_open_items,
        "at_limit": open_items >= coach.max_open_items,
        "limit_form": QueueLimitForm(instance=coach),
        "now": now,
    }


class QueueLimitForm(forms.ModelForm):
    class Meta:
        model = Coach
        fields = ["max_open_items"]


@coach_required
@require_GET
def queue(request, coach: Coach):
    return render(request, "coach/review_queue.html", queue_context(coach, now=timezone.now()))


@coach_required
@require_POST
def claim(request, coach: Coach, kind: str, public_id: str):
    """Claim one item of any kind; a refusal is a message on the queue, never an error page."""
    work_kind = KINDS.get(kind)
    if work_kind is None:
        raise Http404("No such kind of work.")
    item = get_object_or_404(work_kind.model, public_id=public_id)
    try:
        item = work_kind.claim(item, coach)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("coach_queue")
    messages.success(request, work_kind.claimed_message)
    return redirect(item.get_work_url())


@coach_required
@require_POST
def set_limit(request, coach: Coach):
    form = QueueLimitForm(request.POST, instance=coach)
    if form.is_valid():
        coach_set_max_open_items(coach=coach, value=form.cleaned_data["max_open_items"])
        messages.success(request, "Your limit is saved.")
    else:
        messages.error(request, f"Choose a number from 1 to {MAX_OPEN_ITEMS_LIMIT}.")
    return redirect("coach_queue")
