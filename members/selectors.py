"""Reads the members' pages share: each returns everything a page shows in a fixed number of
queries, however many schools, questions or packages there are."""

from __future__ import annotations

import random

from django.db.models import QuerySet

from coaching.models import Package
from members.models import (
    FavouriteQuestion,
    GatedCollection,
    InterviewFormat,
    Language,
    Question,
    School,
    ShortlistEntry,
)


def packages_with_perk(perk: str) -> list[Package]:
    """Active packages that unlock `perk`, cheapest first: what the "members only" panel offers."""
    return list(
        Package.objects.filter(active=True, perks__kind=perk)
        .distinct()
        .order_by("price_cents", "name")
    )


# --- schools ----------------------------------------------------------------------------------

# A filter for one language or interview format also matches schools that offer both.
BOTH_MATCH = {
    "language": {
        Language.ENGLISH: [Language.ENGLISH, Language.BOTH],
        Language.FRENCH: [Language.FRENCH, Language.BOTH],
    },
    "interview_format": {
        InterviewFormat.MMI: [InterviewFormat.MMI, InterviewFormat.BOTH],
        InterviewFormat.PANEL: [InterviewFormat.PANEL, InterviewFormat.BOTH],
    },
}
UNKNOWN_CHOICE = "unknown"  # a filter value meaning "the school has not told us yet"
FILTER_FIELDS = (
    "province",
    "language",
    "route",
    "program_years",
    "casper_required",
    "interview_format",
)


def school_list(*, filters: dict | None = None) -> QuerySet[School]:
    """Active schools matching the cleaned filters of `SchoolFilterForm`."""
    filters = filters or {}
    schools = School.objects.active().order_by("name")
    for field in FILTER_FIELDS:
        value = filters.get(field) or ""
        if not value:
            continue
        if value == UNKNOWN_CHOICE:
            lookup = {"program_years__isnull": True} if field == "program_years" else {field: ""}
        elif value in BOTH_MATCH.get(field, {}):
            lookup = {f"{field}__in": BOTH_MATCH[field][value]}
        else:
            lookup = {field: value}
        schools = schools.filter(**lookup)
    return schools


def shortlist_for(member) -> list[ShortlistEntry]:
    """The member's shortlist with its schools, oldest first."""
    return list(ShortlistEntry.objects.filter(member=member).select_related("school"))


def shortlisted_school_ids(member) -> set[int]:
    """The ids of the schools on the member's shortlist, in one query."""
    return set(ShortlistEntry.objects.filter(member=member).values_list("school_id", flat=True))


# --- questions --------------------------------------------------------------------------------


def question_list(*, filters: dict | None = None, member=None) -> QuerySet[Question]:
    """Active questions matching the cleaned filters of `QuestionFilterForm`."""
    filters = filters or {}
    questions = Question.objects.active()
    for field in ("format", "category"):
        if filters.get(field):
            questions = questions.filter(**{field: filters[field]})
    if filters.get("favourites") and member is not None:
        questions = questions.filter(
            pk__in=FavouriteQuestion.objects.filter(member=member).values("question_id")
        )
    return questions


def question_draw(*, filters: dict | None = None, member=None) -> Question | None:
    """One question chosen at random on the server among those the filters allow."""
    questions = question_list(filters=filters, member=member).order_by("pk")
    count = questions.count()
    if not count:
        return None
    return questions[random.randrange(count)]


def favourite_question_ids(member) -> set[int]:
    """The ids of the questions the member starred, in one query."""
    return set(
        FavouriteQuestion.objects.filter(member=member).values_list("question_id", flat=True)
    )


# --- documents --------------------------------------------------------------------------------


def document_perk(document) -> str | None:
    """The perk a document needs: its collection's or the nearest gated ancestor's, else None."""
    collection = document.collection
    gate = (
        GatedCollection.objects.filter(
            collection__in=collection.get_ancestors(inclusive=True).values("pk")
        )
        .order_by("-collection__depth")
        .values_list("perk", flat=True)
        .first()
    )
    return gate
