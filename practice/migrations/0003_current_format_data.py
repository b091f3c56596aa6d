"""The format applicants sit in the 2026–2027 cycle (Acuity Insights, "What is the Casper test
format and length?"), so every installation has it; and the break of attempts taken before
formats existed, moved from the set onto the scenario it follows (what the clock now reads).

Never overwrites: a format of that name an editor already has is left as it is."""

from django.db import migrations

CURRENT = {
    "name": "Casper",
    "cycle": "2026–2027",
    "current": True,
    "source": "https://acuityinsights.com/casper/",
    "description": (
        "Eleven scenarios: four answered on camera, two questions each shown one at a time with "
        "one minute to record each; an optional 10-minute break; seven typed, two questions "
        "shown together with three and a half minutes for both, and an optional 5-minute break "
        "after the fourth. About 65 to 85 minutes with the system check and instructions."
    ),
}
SECTIONS = [
    {
        "title": "Video responses",
        "response": "video",
        "scenario_count": 4,
        "questions_per_scenario": 2,
        "one_at_a_time": True,
        "seconds": 60,
        "break_seconds_after": 600,
    },
    {
        "title": "Typed responses, first part",
        "response": "typed",
        "scenario_count": 4,
        "questions_per_scenario": 2,
        "one_at_a_time": False,
        "seconds": 210,
        "break_seconds_after": 300,
    },
    {
        "title": "Typed responses, second part",
        "response": "typed",
        "scenario_count": 3,
        "questions_per_scenario": 2,
        "one_at_a_time": False,
        "seconds": 210,
        "break_seconds_after": 0,
    },
]


def forwards(apps, schema_editor):
    PracticeFormat = apps.get_model("practice", "PracticeFormat")
    FormatSection = apps.get_model("practice", "FormatSection")
    AttemptScenario = apps.get_model("practice", "AttemptScenario")
    if not PracticeFormat.objects.filter(name=CURRENT["name"], cycle=CURRENT["cycle"]).exists():
        PracticeFormat.objects.filter(current=True).update(current=False)
        fmt = PracticeFormat.objects.create(**CURRENT)
        for order, section in enumerate(SECTIONS):
            FormatSection.objects.create(format=fmt, sort_order=order, **section)
    for row in AttemptScenario.objects.select_related("attempt__practice_set").filter(
        break_seconds_after=0
    ):
        practice_set = row.attempt.practice_set
        if practice_set.break_after == row.position and practice_set.break_seconds:
            row.break_seconds_after = practice_set.break_seconds
            row.save(update_fields=["break_seconds_after"])


class Migration(migrations.Migration):
    dependencies = [("practice", "0002_current_format")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
