"""Demo members' library: the index at /members/, three resources and one e-book.

Idempotent like the guidance demo: pages are found by slug, the e-book by title, and each is
created only when missing. The e-book is a small PDF written here, in the members' collection
(gated by the resource-library perk), so it lands in the private storage.
"""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from coaching.models import PerkKind
from members.models import GatedCollection

from .demo import _ensure_child, _ensure_home, callout, heading, steps, text
from .members import LIBRARY_SLUG, MembersLibraryPage, MembersResourcePage

EBOOK_TITLE = "Application year planner (e-book)"
EBOOK_LINES = [
    "MedPath application year planner",
    "1. List the schools you are eligible for and their deadlines.",
    "2. Book CASPer early and leave time to practise.",
    "3. Draft your autobiographical sketch months before it is due.",
    "4. Ask referees early and give them your CV and a summary.",
    "5. Practise interviews aloud in the formats your schools use.",
]


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF with `lines` in Helvetica: hand-written, so no PDF library is needed."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = ["BT", "/F1 14 Tf", "72 740 Td", "18 TL"]
    for line in lines:
        text_ops += [f"({escape(line)}) Tj", "T*"]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _members_collection() -> Collection:
    gate = (
        GatedCollection.objects.select_related("collection")
        .filter(perk=PerkKind.RESOURCE_LIBRARY)
        .first()
    )
    if gate:
        return gate.collection
    collection = Collection.get_first_root_node().add_child(name="Members' library")
    GatedCollection.objects.create(collection=collection, perk=PerkKind.RESOURCE_LIBRARY)
    return collection


def _ensure_ebook():
    Document = get_document_model()
    existing = Document.objects.filter(title=EBOOK_TITLE).first()
    if existing:
        return existing
    document = Document(title=EBOOK_TITLE, collection=_members_collection())
    document.file.save(
        "application-year-planner.pdf", ContentFile(pdf_bytes(EBOOK_LINES)), save=False
    )
    document.file_size = document.file.size
    document.save()
    return document


LIBRARY = {
    "title": "Members' library",
    "seo_title": "Members' library: e-books and resources",
    "intro": (
        "<p>E-books, worksheets and practice guides written by MedPath coaches. Everyone can "
        "see what each one covers; members open them for their package's term.</p>"
    ),
}


def _resources(ebook) -> list[dict]:
    return [
        {
            "slug": "application-year-planner",
            "title": "Planning your MD application year",
            "perk": PerkKind.RESOURCE_LIBRARY,
            "summary": "A month-by-month plan for the year you apply, from choosing schools to "
            "interview season, with a printable planner.",
            "teaser": "<p>Inside: the order in which to tackle each part of the application, "
            "where applicants usually lose time, and a planner to print.</p>",
            "body": [
                heading("Start with eligibility"),
                text(
                    "<p>Before you compare anything else, list the schools whose rules you "
                    "meet, and note each deadline with its year. Ontario schools share one "
                    "application service; elsewhere you apply to each school.</p>"
                ),
                steps(
                    "A year in four stages",
                    [
                        ("Spring", "", "<p>Shortlist schools and book CASPer.</p>"),
                        ("Summer", "", "<p>Draft the sketch and ask your referees.</p>"),
                        ("Autumn", "", "<p>Submit, then start interview practice.</p>"),
                        ("Winter", "", "<p>Interviews: practise each format aloud.</p>"),
                    ],
                ),
                {
                    "type": "document",
                    "value": {
                        "document": ebook.pk,
                        "label": "Download the application year planner (PDF)",
                        "description": "One page to print and pin up.",
                    },
                },
            ],
        },
        {
            "slug": "mmi-practice-routine",
            "title": "An MMI practice routine",
            "perk": PerkKind.QUESTION_BANK,
            "summary": "How to practise multiple mini interview stations on your own or with "
            "a friend, timed the way the real circuit is.",
            "teaser": "<p>Inside: a timed routine for each station, how to review a recording "
            "of yourself, and how to use the question bank.</p>",
            "body": [
                heading("Time it like the real thing"),
                text(
                    "<p>Give yourself about two minutes to read and think, then answer for five "
                    "to eight minutes without stopping. Keep a timer where you can see it.</p>"
                ),
                callout(
                    "Review, then repeat",
                    "<p>After each station, read the coach's note in the question bank and list "
                    "one thing you missed. Repeat the same station a week later.</p>",
                ),
            ],
        },
        {
            "slug": "reading-admission-requirements",
            "title": "Reading a school's admission requirements",
            "perk": PerkKind.SCHOOL_GUIDE,
            "summary": "What to check on each school's site before you apply, and how to keep "
            "track of it in your shortlist.",
            "teaser": "<p>Inside: a checklist of the facts that change every cycle and how to "
            "record them.</p>",
            "body": [
                heading("Facts that change every cycle"),
                text(
                    "<p>Deadlines, test requirements and interview formats can change from one "
                    "admission year to the next. Check each one on the school's own site, note "
                    "the year it applies to, and keep it in your shortlist notes.</p>"
                ),
            ],
        },
    ]


def load() -> MembersLibraryPage:
    home = _ensure_home()
    library = _ensure_child(home, MembersLibraryPage, LIBRARY_SLUG, LIBRARY)
    ebook = _ensure_ebook()
    for spec in _resources(ebook):
        fields = {key: value for key, value in spec.items() if key != "slug"}
        _ensure_child(library, MembersResourcePage, spec["slug"], fields)
    return library
