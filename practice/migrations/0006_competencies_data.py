"""The ten aspects of social intelligence and professionalism prep sites list for Casper
(Acuity Insights writes that its scenarios probe ten), installed as editable data: editors
rename, describe, reorder, retire or add competencies in Admin → Practice competencies after
this. Never overwrites: a competency of the same name (in any case) is left as it is.

The descriptions are MedPath's own, one sentence each on what the competency looks like in an
answer."""

from django.db import migrations

COMPETENCIES = [
    (
        "Collaboration",
        "Works with others towards a shared goal: shares the load, draws in quieter voices and "
        "settles disagreements without winning at someone's expense.",
    ),
    (
        "Communication",
        "Says what matters clearly and kindly, checks that it was understood, and listens "
        "before answering.",
    ),
    (
        "Empathy",
        "Imagines how each person in the scenario feels and why, and lets that shape what "
        "they would say and do.",
    ),
    (
        "Equity",
        "Notices who is left out or disadvantaged and looks for a way that gives everyone a "
        "fair chance, not only the same treatment.",
    ),
    (
        "Ethics",
        "Names the principles in tension, weighs them honestly and reaches a decision they "
        "could defend to everyone affected.",
    ),
    (
        "Motivation",
        "Shows why the work matters to them and what keeps them going when it is hard, "
        "without reciting a script.",
    ),
    (
        "Problem solving",
        "Gathers the facts before acting, considers more than one option and chooses a "
        "practical next step.",
    ),
    (
        "Professionalism",
        "Keeps commitments, respects boundaries and confidentiality, and acts the same "
        "whether or not anyone is watching.",
    ),
    (
        "Resilience",
        "Recovers from setbacks and pressure, says what they learned, and keeps caring for "
        "themselves and others meanwhile.",
    ),
    (
        "Self-awareness",
        "Knows the limits of their role and knowledge, admits mistakes, and says when they "
        "would ask for help.",
    ),
]


def forwards(apps, schema_editor):
    Competency = apps.get_model("practice", "Competency")
    for order, (name, description) in enumerate(COMPETENCIES, start=1):
        if Competency.objects.filter(name__iexact=name).exists():
            continue
        Competency.objects.create(name=name, description=description, sort_order=order * 10)


class Migration(migrations.Migration):
    dependencies = [("practice", "0005_competencies_guidance_self_rating")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
