"""The members' pages: the school guide (filter, compare, shortlist) and the question bank.

Thin views: parse with a form, read through `selectors`, write through `services`. Each page
asks `members.access` through `perk_required`; a bad filter or id is a 400 with the form's
message, never a 500.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from wagtail.views import serve as wagtail_serve

from coaching.models import PerkKind
from core.errors import DomainError
from core.redirects import back_to
from members import selectors, services
from members.forms import (
    CompareForm,
    FavouriteForm,
    QuestionFilterForm,
    SchoolFilterForm,
    ShortlistNotesForm,
)
from members.gate import perk_required
from members.models import Question, School

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
school_guide = perk_required(PerkKind.SCHOOL_GUIDE, title="The Canadian MD school guide")
question_bank = perk_required(PerkKind.QUESTION_BANK, title="The interview question bank")


@require_GET
def library(request):
    """`/members/`: the members' library index, a page in the CMS tree at that address."""
    return wagtail_serve(request, request.path_info.lstrip("/"))


def _back(request, fallback: str):
    """Where a POST came from (a path on this site, `core.redirects`), else `fallback`."""
    return redirect(back_to(request, default=fallback))


# --- school guide -----------------------------------------------------------------------------


@require_GET
@school_guide
def schools(request):
    form = SchoolFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        school_rows, status = [], 400
    else:
        school_rows = list(
            selectors.school_list(filters=form.cleaned_data if form.is_bound else {})
        )
    context = {
        "form": form,
        "schools": school_rows,
        "shortlisted": selectors.shortlisted_school_ids(request.user),
        "max_compare": CompareForm.MAX,
    }
    return render(request, "members/school_list.html", context, status=status)


@require_GET
@school_guide
def schools_compare(request):
    # Only well-formed slugs reach the database (a NUL byte would upset PostgreSQL).
    slugs = [s for s in request.GET.getlist("school")[: CompareForm.MAX + 1] if SLUG.fullmatch(s)]
    found = School.objects.active().filter(slug__in=slugs)
    form = CompareForm(request.GET, schools_by_slug={s.slug: s for s in found})
    if not form.is_valid():
        context = {"form": form, "schools": [], "rows": []}
        return render(request, "members/school_compare.html", context, status=400)
    schools = form.schools
    facts = [school.facts() for school in schools]
    rows = [
        (
            label,
            [
                (school.name, school_facts[i][1])
                for school, school_facts in zip(schools, facts, strict=True)
            ],
        )
        for i, (label, _) in enumerate(facts[0])
    ]
    context = {
        "form": form,
        "schools": schools,
        "rows": rows,
        "shortlisted": selectors.shortlisted_school_ids(request.user),
    }
    return render(request, "members/school_compare.html", context)


@require_GET
@school_guide
def shortlist(request):
    entries = selectors.shortlist_for(request.user)
    for entry in entries:
        entry.form = ShortlistNotesForm(
            initial={"notes": entry.notes}, prefix=f"school-{entry.school_id}"
        )
    compare = (
        reverse("members:schools_compare")
        + "?"
        + urlencode([("school", entry.school.slug) for entry in entries[: CompareForm.MAX]])
    )
    context = {"entries": entries, "compare_url": compare if len(entries) > 1 else ""}
    return render(request, "members/shortlist.html", context)


def _school(slug: str) -> School:
    return get_object_or_404(School.objects.active(), slug=slug)


@require_POST
@school_guide
def shortlist_add(request, slug: str):
    school = _school(slug)
    try:
        services.shortlist_add(member=request.user, school=school)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{school.name} is on your shortlist.")
    return _back(request, reverse("members:shortlist"))


@require_POST
@school_guide
def shortlist_notes(request, slug: str):
    school = _school(slug)
    form = ShortlistNotesForm(request.POST, prefix=f"school-{school.pk}")
    if form.is_valid():
        try:
            services.shortlist_update_notes(
                member=request.user, school=school, notes=form.cleaned_data["notes"]
            )
        except DomainError as error:
            form.add_error("notes", error.message)
        else:
            messages.success(request, f"Notes on {school.name} saved.")
            return redirect("members:shortlist")
    entries = selectors.shortlist_for(request.user)
    for entry in entries:
        entry.form = (
            form
            if entry.school_id == school.pk
            else ShortlistNotesForm(
                initial={"notes": entry.notes}, prefix=f"school-{entry.school_id}"
            )
        )
    return render(
        request, "members/shortlist.html", {"entries": entries, "compare_url": ""}, status=400
    )


@require_POST
@school_guide
def shortlist_remove(request, slug: str):
    school = _school(slug)
    services.shortlist_remove(member=request.user, school=school)
    messages.success(request, f"{school.name} is off your shortlist.")
    return _back(request, reverse("members:shortlist"))


# --- question bank ----------------------------------------------------------------------------


def _question_page(request, template: str, read):
    """A question bank page: its filters from the query string, what `read(filters)` finds,
    the member's favourites; unknown filter values are a 400 with the form's message."""
    form = QuestionFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    filters = (form.cleaned_data if form.is_bound else {}) if valid else None
    query = request.GET.copy()
    query.pop("question", None)  # the random page's "this one again" (see question_random)
    context = {
        "form": form,
        "found": read(filters) if valid else None,
        "favourites": selectors.favourite_question_ids(request.user),
        "query": query.urlencode() if valid else "",
    }
    return render(request, template, context, status=200 if valid else 400)


@require_GET
@question_bank
def questions(request):
    return _question_page(
        request,
        "members/question_list.html",
        lambda filters: list(selectors.question_list(filters=filters, member=request.user)),
    )


@require_GET
@question_bank
def question_random(request):
    """A question drawn at random; `?question=<id>` shows that one again (where a favourite
    button sends the member back to, so marking it does not draw another)."""
    shown = request.GET.get("question", "")

    def read(filters):
        if shown.isascii() and shown.isdigit() and len(shown) < 12:
            question = (
                selectors.question_list(filters=filters, member=request.user)
                .filter(pk=int(shown))
                .first()
            )
            if question is not None:
                return question
        return selectors.question_draw(filters=filters, member=request.user)

    return _question_page(request, "members/question_random.html", read)


@require_POST
@question_bank
def question_favourite(request, pk: int):
    question = get_object_or_404(Question.objects.active(), pk=pk)
    form = FavouriteForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose whether to add or remove the favourite.")
    services.favourite_set(
        member=request.user, question=question, favourite=form.cleaned_data["favourite"]
    )
    return _back(request, reverse("members:questions"))
