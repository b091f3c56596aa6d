"""Today's Casper format as the code knows it, for installations that lack it (a database
flushed by tests, a demo on an emptied database). The data migration
`practice/migrations/0003_current_format_data.py` installs the same facts with its own frozen
copy; editors keep formats in Admin → Practice formats after that."""

from __future__ import annotations

from django.db import transaction

from practice.models import FormatSection, PracticeFormat, ResponseKind

CURRENT = {
    "name": "Casper",
    "cycle": "2026–2027",
    "source": "https://acuityinsights.com/casper/",
    "description": (
        "Eleven scenarios: four answered on camera, two questions each shown one at a time with "
        "one minute to record each; an optional 10-minute break; seven typed, two questions "
        "shown together with three and a half minutes for both, and an optional 5-minute break "
        "after the fourth. About 65 to 85 minutes with the system check and instructions."
    ),
}
SECTIONS = [
    ("Video responses", ResponseKind.VIDEO, 4, True, 60, 600),
    ("Typed responses, first part", ResponseKind.TYPED, 4, False, 210, 300),
    ("Typed responses, second part", ResponseKind.TYPED, 3, False, 210, 0),
]


@transaction.atomic
def current_format() -> PracticeFormat:
    """Today's full Casper format, installed (and marked current) where it is missing; an
    editor's changes to an installed one are kept."""
    practice_format, created = PracticeFormat.objects.get_or_create(
        name=CURRENT["name"], cycle=CURRENT["cycle"], defaults={**CURRENT, "current": True}
    )
    if created:
        add_sections(practice_format, SECTIONS)
    return practice_format


SECTION_FIELDS = ("title", "response", "scenario_count", "one_at_a_time", "seconds")


def add_sections(practice_format: PracticeFormat, sections) -> None:
    """Give a new format its sections, in order: each a (title, response, scenario count, one
    at a time, seconds, break after) tuple with two questions per scenario."""
    FormatSection.objects.bulk_create(
        FormatSection(
            format=practice_format,
            sort_order=order,
            questions_per_scenario=2,
            break_seconds_after=pause,
            **dict(zip(SECTION_FIELDS, fields, strict=True)),
        )
        for order, (*fields, pause) in enumerate(sections)
    )
