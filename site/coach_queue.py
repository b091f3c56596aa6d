"""The reviewer queue at /coach/reviews/: work waiting for coaches, gathered from each app.

The queue is a list of `QueueItem`s built from each app's selectors: document reviews and
practice attempts to score. Each app's claim service applies the one claim rule
(`coaching.work_queue.claim_guard`: active, their service, not their own work, the limit of
open items across every kind, under a lock on the coach's row). A practice attempt is due back within `PRACTICE_SCORING_DAYS`
working days of its submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from booking.views import coach_required
from coaching.models import MAX_OPEN_ITEMS_LIMIT, Coach
from coaching.services import coach_set_max_open_items
from core.errors import DomainError
from core.workdays import due_at
from practice import selectors as practice_selectors
from practice import services as practice_services
from practice.models import Attempt
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews.models import Review


@dataclass(frozen=True)
class QueueItem:
    """One piece of work in the queue, whatever app it comes from."""

    kind: str  # "review" or "practice"
    kind_label: str
    title: str
    applicant: str
    status_label: str
    due_at: datetime
    overdue: bool
    url: str | None  # the work page (own items)
    claim_url: str | None  # unassigned items


def _review_items(reviews, *, now: datetime, own: bool) -> list[QueueItem]:
    return [
        QueueItem(
            kind="review",
            kind_label="Document review",
            title=review.service.name,
            applicant=str(review.applicant),
            status_label=review.get_status_display(),
            due_at=review.due_at,
            overdue=review.due_at < now,
            url=review.get_absolute_url() if own else None,
            claim_url=None if own else reverse("coach_queue_claim", args=[review.public_id]),
        )
        for review in reviews
    ]


def _practice_items(attempts, *, now: datetime, own: bool) -> list[QueueItem]:
    items = []
    for attempt in attempts:
        due = due_at(attempt.submitted_at, settings.PRACTICE_SCORING_DAYS)
        items.append(
            QueueItem(
                kind="practice",
                kind_label="Practice attempt to score",
                title=attempt.practice_set.title,
                applicant=str(attempt.member),
                status_label=attempt.get_status_display(),
                due_at=due,
                overdue=due < now,
                url=attempt.get_coach_url() if own else None,
                claim_url=None
                if own
                else reverse("coach_queue_claim_practice", args=[attempt.public_id]),
            )
        )
    return items


def queue_context(coach: Coach, *, now: datetime) -> dict:
    mine = _review_items(review_selectors.open_for(coach), now=now, own=True)
    mine += _practice_items(practice_selectors.open_for(coach), now=now, own=True)
    waiting = _review_items(review_selectors.to_claim_for(coach), now=now, own=False)
    waiting += _practice_items(practice_selectors.to_claim_for(coach), now=now, own=False)
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
def claim(request, coach: Coach, public_id: str):
    review = get_object_or_404(Review, public_id=public_id)
    try:
        review_services.review_claim(review=review, coach=coach)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("coach_queue")
    messages.success(request, "It is yours. The review is due by the time shown.")
    return redirect(review.get_absolute_url())


@coach_required
@require_POST
def claim_practice(request, coach: Coach, public_id: str):
    attempt = get_object_or_404(Attempt, public_id=public_id)
    try:
        practice_services.attempt_claim(attempt=attempt, coach=coach)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("coach_queue")
    messages.success(request, "It is yours to score.")
    return redirect(attempt.get_coach_url())


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
