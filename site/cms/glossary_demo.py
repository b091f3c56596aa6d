"""Demo glossary: `/glossary/`, a guidance page explaining each term in `medpath.cms.jargon`.

Each term is a heading block (its anchor is `Term.anchor`, e.g. `#section-casper`) followed by
its definition, so the page's "On this page" list doubles as an index of terms. Editors can
reword or extend it like any guidance page. Idempotent, like the other demo loaders: the page
is created only when missing.
"""

from wagtail.models import Page

from .demo import _ensure_child, heading, text
from .jargon import TERMS
from .models import GuidancePage, HomePage

GLOSSARY_SLUG = "glossary"

# Written for the demo from the facts in the project's content brief, keyed on Term.term.
DEFINITIONS = {
    "ABS": (
        "<p><b>Autobiographical sketch.</b> The part of an application to Ontario's medical "
        "schools where you list your activities and experiences, each with a short "
        "description. Choosing which entries to include, and how to frame them, is what our "
        "ABS strategy session is for; the ABS and application review returns written edits.</p>"
    ),
    "CaRMS": (
        "<p><b>Canadian Resident Matching Service.</b> The organisation that runs the R-1 main "
        "residency match for entry-level (first-year) residency positions. Each program asks "
        "for its own set of documents, typically a CV, a personal letter written for that "
        "program or discipline, and reference letters. Programs interview the applicants they "
        "are interested in; the medical schools decide whom to accept.</p>"
    ),
    "CASPer": (
        "<p><b>An online situational-judgement test.</b> In its typed section each scenario, a "
        "short text or video prompt, comes with three questions and about five minutes to "
        "answer all three. When the time is up your answers are sent and the next scenario "
        "opens. Independent raters score the responses, and results are reported in "
        "quartiles.</p>"
    ),
    "CEHPEA": (
        "<p><b>Centre for the Evaluation of Health Professionals Educated Abroad.</b> It "
        "evaluates international medical graduates. Its evaluation can strengthen a residency "
        "application and some programs require it. In Ontario, applications for advanced-level "
        "training and for practice-ready assessment go through the Centre.</p>"
    ),
    "CPSO": (
        "<p><b>College of Physicians and Surgeons of Ontario.</b> The body that registers "
        "doctors to practise in Ontario. Some international graduates, such as physicians "
        "certified elsewhere in Canada or fully certified in the United States, may be able to "
        "apply to it directly, without a ministry-funded training position.</p>"
    ),
    "HST": (
        "<p><b>Harmonized sales tax.</b> The sales tax charged in Ontario. Where a price on "
        "MedPath says “+ HST”, the tax is added at checkout and shown before you pay.</p>"
    ),
    "IMG": (
        "<p><b>International medical graduate.</b> A doctor who earned their medical degree "
        "outside Canada and the United States. Ontario opens about 200 training and assessment "
        "positions to international graduates every year.</p>"
    ),
    "MMI": (
        "<p><b>Multiple mini interview.</b> An interview held as a circuit of short stations. "
        "At each one you read a prompt for about two minutes, then answer for roughly five to "
        "eight minutes.</p>"
    ),
    "MPI": (
        "<p><b>Modified personal interview.</b> One of the common medical school interview "
        "formats alongside the multiple mini interview and the panel: a structured interview "
        "made of several short conversations, each looking at a different quality.</p>"
    ),
    "OMSAS": (
        "<p><b>Ontario Medical School Application Service.</b> The one application through "
        "which you apply to Ontario's medical schools. Schools in the other provinces are "
        "applied to directly.</p>"
    ),
    "PRA": (
        "<p><b>Practice-ready assessment.</b> For physicians with recent practice experience: "
        "six months of supervised clinical assessment at an Ontario medical school, which "
        "decides whether you can go straight into practice or need more training first.</p>"
    ),
    "ROS": (
        "<p><b>Return of service.</b> The agreement that comes with every ministry-funded "
        "training or assessment position for international graduates in Ontario: five years "
        "of full-time practice in an eligible Ontario community once you finish.</p>"
    ),
}

GLOSSARY = {
    "title": "Glossary",
    "seo_title": "Glossary of Canadian medical admissions and licensing terms",
    "search_description": (
        "Plain-language explanations of the abbreviations applicants meet: autobiographical "
        "sketch, situational-judgement test, multiple mini interview, residency match and more."
    ),
    "summary": (
        "The abbreviations you meet in Canadian medical school and residency applications, "
        "and on this site, explained in a sentence or two each."
    ),
}


def glossary_body() -> list[dict]:
    body = []
    for term in sorted(TERMS, key=lambda term: term.term.lower()):
        body += [heading(term.term), text(DEFINITIONS[term.term])]
    return body


def load() -> Page:
    home = HomePage.objects.first()
    return _ensure_child(home, GuidancePage, GLOSSARY_SLUG, {**GLOSSARY, "body": glossary_body()})
