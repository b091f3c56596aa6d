"""Review pages: my reviews, send documents, one review (for its applicant, its reviewer and
staff), its actions, and its files. Thin: check who asks, call a service, render.

A review someone may not see is a 404 (its id is not confirmed to exist). Files leave only
through `core.files.protected_download`, after `reviews.access.can_view`.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from coaching.models import Coach, PerkKind, Service, ServiceKind
from core.errors import DomainError, errors_shown_on
from core.files import protected_download
from core.history import timeline
from core.uploads import MAX_REQUEST_BYTES
from members.access import has_perk
from reviews import access, selectors, services
from reviews.diff import word_count, word_diff
from reviews.forms import ReturnForm, RevisionForm, SubmitForm
from reviews.models import FileKind, Review, ReviewFile, ReviewStatus

TOO_LARGE = (
    "What you sent is larger than five files of 10 MB each. Nothing was saved and no credit "
    "was spent; send smaller files."
)


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return False


def _refuse_too_large(request) -> HttpResponse:
    return HttpResponse(
        render_to_string("reviews/too_large.html", {"message": TOO_LARGE}, request=request),
        status=413,
    )


def _refuses_too_large(view):
    """A post larger than the upload limit is answered 413 before the view reads its body."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method == "POST" and _too_large(request):
            return _refuse_too_large(request)
        return view(request, *args, **kwargs)

    return guarded


def _review_or_404(request, public_id: str, *, check=access.can_view) -> Review:
    """The review if this person may see it (or do what `check` asks); a 404 otherwise."""
    review = selectors.review_page(public_id)
    if review is None or not check(request.user, review):
        raise Http404("No review with that id.")
    return review


# --- the applicant ------------------------------------------------------------------------


@login_required
@require_GET
def review_list(request):
    left = selectors.review_credits_for(request.user)
    services_with_credit = Service.objects.filter(pk__in=left).order_by("sort_order", "name")
    return render(
        request,
        "reviews/review_list.html",
        {
            "reviews": selectors.reviews_for_applicant(request.user),
            "credits": [(service, left[service.pk]) for service in services_with_credit],
            "unlimited_revisions": has_perk(request.user, PerkKind.APPLICATION_REVISIONS),
            "now": timezone.now(),
        },
    )


@login_required
@_refuses_too_large
def review_new(request):
    left = selectors.review_credits_for(request.user)
    review_services = list(Service.objects.active().filter(kind=ServiceKind.REVIEW))
    chosen = next((s for s in review_services if s.slug == request.GET.get("service")), None)
    if chosen is None:
        chosen = next((s for s in review_services if left.get(s.pk)), None)
    if request.method == "POST":
        form = SubmitForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            with errors_shown_on(form):
                review = services.review_submit(
                    applicant=request.user,
                    service=data["service"],
                    brief=data["brief"],
                    text=data["text"],
                    files=data["files"],
                )
                messages.success(
                    request, "Your documents are on their way to a reviewer. We have emailed you."
                )
                return redirect(review.get_absolute_url())
        status = 400
    else:
        form = SubmitForm(initial={"service": chosen.pk if chosen else None})
        status = 200
    return render(
        request,
        "reviews/review_new.html",
        {
            "form": form,
            "options": [
                {"service": service, "left": left.get(service.pk, 0)} for service in review_services
            ],
            "chosen": chosen,
            "has_any_credit": any(left.values()),
        },
        status=status,
    )


def _rounds_view(review: Review, *, now) -> list[dict]:
    """Each round with its files split by who sent them and, when the reviewer suggested a
    version of the pasted text, the word diff between the two."""
    rows = []
    for round in review.rounds.all():
        files = list(round.files.all())
        rows.append(
            {
                "round": round,
                "sent": [f for f in files if f.kind == FileKind.SUBMITTED],
                "returned": [f for f in files if f.kind == FileKind.RETURNED],
                "words": word_count(round.text),
                "diff": word_diff(round.text, round.suggested_text)
                if round.is_returned and round.suggested_text
                else None,
            }
        )
    return rows


@login_required
@require_GET
def review_detail(request, public_id: str):
    review = _review_or_404(request, public_id)
    return _render_detail(request, review)


def _render_detail(request, review: Review, *, revision_form=None, return_form=None, status=200):
    now = timezone.now()
    rounds = _rounds_view(review, now=now)
    is_owner = access.is_owner(request.user, review)
    is_reviewer = access.is_assigned_reviewer(request.user, review)
    current = rounds[-1] if rounds else None
    # Asked on every owner's visit (one query), so the page costs the same whatever the round.
    unlimited = is_owner and has_perk(request.user, PerkKind.APPLICATION_REVISIONS)
    can_revise = (
        is_owner
        and review.status == ReviewStatus.RETURNED
        and services.revision_allowed(review, rounds=len(rounds), unlimited=unlimited)
    )
    if is_owner and revision_form is None and can_revise and current:
        start = current["round"].suggested_text or current["round"].text
        revision_form = RevisionForm(initial={"text": start})
    can_work = is_reviewer and review.status in (
        ReviewStatus.ASSIGNED,
        ReviewStatus.IN_REVIEW,
        ReviewStatus.REVISION_REQUESTED,
    )
    if can_work and return_form is None and current:
        round = current["round"]
        return_form = ReturnForm(
            initial={
                "summary": round.summary,
                "suggested_text": round.suggested_text or round.text,
            }
        )
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "rounds": rounds,
            "current": current,
            "history": timeline(review, viewer=request.user, applicant_id=review.applicant_id),
            "is_owner": is_owner,
            "is_reviewer": is_reviewer,
            "can_withdraw": is_owner and review.status == ReviewStatus.SUBMITTED,
            "can_close": is_owner and review.status == ReviewStatus.RETURNED,
            "can_revise": can_revise,
            "revision_used_up": is_owner
            and review.status == ReviewStatus.RETURNED
            and not can_revise,
            "revision_form": revision_form if can_revise else None,
            "can_work": can_work,
            "return_form": return_form if can_work else None,
            "overdue": review.is_overdue(now),
            "viewer_zone": getattr(request.user, "time_zone", "UTC"),
            "now": now,
        },
        status=status,
    )


def _act(request, review: Review, action, success: str):
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(review.get_absolute_url())


def _owner_acts(request, public_id: str, action, success: str):
    """The applicant acts on their own review with `action(review=…, actor=…)`."""
    review = _review_or_404(request, public_id, check=access.is_owner)
    return _act(request, review, lambda: action(review=review, actor=request.user), success)


@login_required
@require_POST
def review_withdraw(request, public_id: str):
    success = "Your review is withdrawn and its credit is back on your account."
    return _owner_acts(request, public_id, services.review_withdraw, success)


@login_required
@require_POST
def review_close(request, public_id: str):
    return _owner_acts(request, public_id, services.review_close, "Review closed. Thank you!")


@login_required
@require_POST
@_refuses_too_large
def review_revise(request, public_id: str):
    review = _review_or_404(request, public_id, check=access.is_owner)
    form = RevisionForm(request.POST, request.FILES)
    if form.is_valid():
        with errors_shown_on(form):
            services.review_request_revision(
                review=review,
                actor=request.user,
                text=form.cleaned_data["text"],
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
            )
            messages.success(request, "Your revision is with the reviewer. We have emailed you.")
            return redirect(review.get_absolute_url())
    return _render_detail(request, review, revision_form=form, status=400)


# --- the reviewer -------------------------------------------------------------------------


@login_required
@require_POST
@_refuses_too_large
def review_answer(request, public_id: str):
    """The assigned reviewer saves a draft or returns the review."""
    review = _review_or_404(request, public_id, check=access.is_assigned_reviewer)
    coach = Coach.objects.get(user=request.user)
    form = ReturnForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        with errors_shown_on(form):
            if data["action"] == ReturnForm.DRAFT:
                if data["files"]:
                    raise DomainError("Files are attached when you return the review.")
                services.review_save_draft(
                    review=review,
                    coach=coach,
                    summary=data["summary"],
                    suggested_text=data["suggested_text"],
                )
                messages.success(request, "Draft saved.")
            else:
                services.review_return(
                    review=review,
                    coach=coach,
                    summary=data["summary"],
                    suggested_text=data["suggested_text"],
                    files=data["files"],
                )
                messages.success(request, "Returned. The applicant has been emailed.")
            return redirect(review.get_absolute_url())
    review = selectors.review_page(review.public_id)
    return _render_detail(request, review, return_form=form, status=400)


# --- files --------------------------------------------------------------------------------


def _file_or_404(request, public_id: str, file_id: str) -> ReviewFile:
    file = (
        ReviewFile.objects.select_related("review__reviewer")
        .filter(public_id=file_id, review__public_id=public_id)
        .first()
    )
    if file is None or not access.can_view(request.user, file.review):
        raise Http404("No file with that id.")
    return file


@login_required
@require_GET
def file_download(request, public_id: str, file_id: str):
    file = _file_or_404(request, public_id, file_id)
    if file.is_deleted or not file.file:
        raise Http404("This file has been deleted.")
    try:
        handle = file.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("This file is no longer stored.") from error
    return protected_download(
        request, file=handle, filename=file.original_name, content_type=file.content_type
    )


@login_required
@require_POST
def file_delete(request, public_id: str, file_id: str):
    file = _file_or_404(request, public_id, file_id)
    if not access.is_owner(request.user, file.review):
        raise Http404("No file with that id.")
    review = get_object_or_404(Review, pk=file.review_id)
    return _act(
        request,
        review,
        lambda: services.review_file_delete(file=file, actor=request.user),
        f"“{file.original_name}” is deleted.",
    )
