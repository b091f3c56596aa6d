"""Demo document reviews for the demo applicant: one returned with a word diff and a marked-up
file, one in review, one overdue, one waiting for a reviewer.

Each is paid with its own demo credit and made through the services (submit, claim, draft,
return), so the timeline reads as it would. Idempotent: a review whose brief is already there
is not made again.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from booking.services import credits_grant
from coaching.models import Coach, Service
from core.uploads import PDF, TEXT, CheckedFile
from reviews import services
from reviews.models import Review

APPLICANT = "applicant@example.com"

ABS_TEXT = (
    "Volunteer, Newcomer Health Clinic (2021–2024). I helped at a free clinic for newcomers to "
    "Canada. I did intake and translated for patients who spoke Arabic. It taught me a lot "
    "about the barriers people face when they try to get care in a new country."
)
ABS_SUGGESTED = (
    "Volunteer, Newcomer Health Clinic (2021–2024). At a free clinic for newcomers to Canada, I "
    "ran intake and interpreted for Arabic-speaking patients, about six hours a week. Watching "
    "families miss follow-ups because letters arrived only in English, I drafted a bilingual "
    "reminder sheet the clinic still uses."
)
ABS_SUMMARY = (
    "A strong experience that shows commitment over three years. Lead with what you did and "
    "what changed because of it: the reviewer of an ABS reads hundreds of entries, and "
    "\u201cI learned a lot\u201d tells them little.\n\n"
    "I have suggested a version below that adds your hours and the reminder sheet you "
    "mentioned in your brief. The attached PDF has comments on your other two entries."
)
LETTER_TEXT = (
    "I am applying to family medicine because I want long relationships with patients. During "
    "my internship in Amman I followed a diabetic patient for a year and saw how continuity "
    "changes outcomes."
)

# key → (service slug, coach slug, brief, text, days ago submitted, what happens next)
DEMO_REVIEWS = [
    (
        "returned",
        "application-review",
        "priya-raman",
        "McMaster and Queen's. Deadline 1 October. Please focus on my volunteer entry: I want "
        "it to show the reminder sheet I made.",
        ABS_TEXT,
        6,
    ),
    (
        "in_review",
        "carms-letter-cv-review",
        "tom-whitfield",
        "Family medicine programs in Ontario. Is my explanation of my internship abroad clear?",
        LETTER_TEXT,
        2,
    ),
    (
        "overdue",
        "application-review",
        "priya-raman",
        "Western and Ottawa. My leadership entries feel weak; what would you cut?",
        "President, Medical Students' Association (2019). I organised events for students.",
        12,
    ),
    ("unassigned", "carms-letter-cv-review", "", "Internal medicine, CV only.", "", 0),
]


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF with one line of text (demo files and tests)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def load() -> None:
    applicant = get_user_model().objects.filter(email=APPLICANT).first()
    if applicant is None:
        return
    now = timezone.now()
    for key, service_slug, coach_slug, brief, text, days_ago in DEMO_REVIEWS:
        service = Service.objects.filter(slug=service_slug).first()
        if service is None or Review.objects.filter(applicant=applicant, brief=brief).exists():
            continue
        coach = Coach.objects.filter(slug=coach_slug).first() if coach_slug else None
        submitted = now - timedelta(days=days_ago)
        credits_grant(
            applicant=applicant,
            service=service,
            quantity=1,
            expires_at=now + timedelta(days=365),
            source=f"demo-review:{key}",
            source_label="Demo review credit",
        )
        files = []
        if key == "unassigned":
            files = [
                CheckedFile(
                    name="CV Amal Haddad.txt",
                    content="Amal Haddad, MD\nInternship, Jordan University Hospital, 2019–2020\n".encode(),
                    kind=TEXT,
                )
            ]
        review = services.review_submit(
            applicant=applicant, service=service, brief=brief, text=text, files=files, now=submitted
        )
        if coach is None:
            continue
        services.review_claim(review=review, coach=coach)
        if key == "in_review":
            services.review_save_draft(
                review=review,
                coach=coach,
                summary="Clear motivation. Say what you did for the patient, not only what you saw.",
                suggested_text=text,
            )
        elif key == "returned":
            services.review_return(
                review=review,
                coach=coach,
                summary=ABS_SUMMARY,
                suggested_text=ABS_SUGGESTED,
                files=[
                    CheckedFile(
                        name="ABS entries - comments.pdf",
                        content=minimal_pdf("Comments on your ABS entries"),
                        kind=PDF,
                    )
                ],
            )
