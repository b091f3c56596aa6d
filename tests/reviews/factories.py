"""Factories for document reviews (a trait per status) and sample documents of each kind."""

import io
import zipfile
from datetime import timedelta

import factory
from django.utils import timezone

from reviews.demo import minimal_pdf
from reviews.models import FileKind, Review, ReviewFile, ReviewRound, ReviewStatus
from tests.accounts.factories import UserFactory
from tests.booking.factories import CreditFactory
from tests.coaching.factories import CoachFactory, ServiceFactory


def pdf_bytes(text: str = "Reviewed") -> bytes:
    """A small, valid one-page PDF."""
    return minimal_pdf(text)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )


def odt_bytes() -> bytes:
    return zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    """A submitted review of a new 5-day review service, due in five days, with one round of
    pasted text; written directly (no credit spent), for arranging state in tests.

    One trait per status: `submitted`, `assigned`, `in_review`, `returned`,
    `revision_requested`, `closed`, `withdrawn`; assigned ones get a new coach who reviews the
    service unless `reviewer` is given.
    """

    class Meta:
        model = Review
        skip_postgeneration_save = True

    applicant = factory.SubFactory(UserFactory)
    service = factory.SubFactory(ServiceFactory, review=True)
    credit = factory.SubFactory(
        CreditFactory,
        applicant=factory.SelfAttribute("..applicant"),
        service=factory.SelfAttribute("..service"),
        quantity=1,
        remaining=0,
    )
    brief = "McMaster and Queen's; focus on the leadership entry."
    status = ReviewStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda o: o.submitted_at + timedelta(days=5))

    class Params:
        with_reviewer = factory.Trait(
            reviewer=factory.SubFactory(CoachFactory),
            claimed_at=factory.LazyFunction(timezone.now),
        )
        submitted = factory.Trait(status=ReviewStatus.SUBMITTED)
        assigned = factory.Trait(status=ReviewStatus.ASSIGNED, with_reviewer=True)
        in_review = factory.Trait(status=ReviewStatus.IN_REVIEW, with_reviewer=True)
        returned = factory.Trait(
            status=ReviewStatus.RETURNED,
            with_reviewer=True,
            returned_at=factory.LazyFunction(timezone.now),
        )
        revision_requested = factory.Trait(
            status=ReviewStatus.REVISION_REQUESTED, with_reviewer=True
        )
        closed = factory.Trait(
            status=ReviewStatus.CLOSED,
            with_reviewer=True,
            closed_at=factory.LazyFunction(timezone.now),
        )
        withdrawn = factory.Trait(
            status=ReviewStatus.WITHDRAWN, withdrawn_at=factory.LazyFunction(timezone.now)
        )

    @factory.post_generation
    def rounds(self, create, extracted, **kwargs):
        if not create:
            return
        if self.reviewer is not None and not self.reviewer.services.filter(pk=self.service_id):
            self.reviewer.services.add(self.service)
            self.reviewer.save()
        text = "I led a free clinic for newcomers to Canada for three years."
        ReviewRound.objects.create(
            review=self,
            number=1,
            text=text,
            created_at=self.submitted_at,
            due_at=self.due_at,
            summary="Strong start; tighten the outcome." if self.returned_at else "",
            suggested_text=text.replace("led", "founded and led") if self.returned_at else "",
            returned_at=self.returned_at,
            returned_by=self.reviewer if self.returned_at else None,
        )


class ReviewFileFactory(factory.django.DjangoModelFactory):
    """A PDF the applicant sent with the first round of a new review."""

    class Meta:
        model = ReviewFile

    review = factory.SubFactory(ReviewFactory)
    round = factory.LazyAttribute(lambda o: o.review.rounds.first())
    kind = FileKind.SUBMITTED
    file = factory.django.FileField(data=pdf_bytes(), filename="letter.pdf")
    original_name = "letter.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(pdf_bytes()))
    uploaded_by = factory.SelfAttribute("review.applicant")
