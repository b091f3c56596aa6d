"""The review's life: submit (one credit, in the same transaction), withdraw (credit back),
claim, draft, return (never empty), revise (one follow-up round, unlimited with the perk),
close, reassign, and the jobs (reminders, overdue notices, auto-close, retention)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import ModelLogEntry

from booking.errors import CreditUnavailable
from coaching.models import PerkKind
from coaching.work_queue import ClaimRefused, QueueFull
from core.uploads import PDF, CheckedFile
from members.services import entitlement_grant
from reviews import services
from reviews.errors import (
    ClaimLost,
    EmptyReturn,
    ReviewForbidden,
    ReviewStateError,
    RevisionLimit,
)
from reviews.models import FileKind, Review, ReviewFile, ReviewStatus
from tests.accounts.factories import UserFactory
from tests.coaching.factories import CoachFactory
from tests.history import actions, entries
from tests.reviews.factories import ReviewFactory, ReviewFileFactory, pdf_bytes

pytestmark = pytest.mark.django_db

TEXT = "I led a free clinic for newcomers to Canada for three years."
# Monday 2 March 2026, 10:00 in Toronto
MONDAY_10 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def a_pdf(name="letter.pdf") -> CheckedFile:
    return CheckedFile(name=name, content=pdf_bytes(), kind=PDF)


def submit(applicant, service, **kw) -> Review:
    return services.review_submit(
        applicant=applicant,
        service=service,
        brief=kw.pop("brief", "UofT, McMaster; deadline 1 October"),
        text=kw.pop("text", TEXT),
        files=kw.pop("files", []),
        **kw,
    )


# --- submitting -----------------------------------------------------------------------------


@time_machine.travel(MONDAY_10, tick=False)
def test_submitting_spends_one_credit_and_sets_the_working_day_due_date(
    applicant, review_service, credit, mails
):
    review = submit(applicant, review_service, files=[a_pdf()])

    credit.refresh_from_db()
    assert credit.remaining == 0
    assert review.credit == credit
    assert review.status == ReviewStatus.SUBMITTED
    assert review.due_at == datetime(2026, 3, 6, 22, 0, tzinfo=UTC)  # Friday 17:00 Toronto
    round = review.rounds.get()
    assert round.text == TEXT and round.due_at == review.due_at
    stored = round.files.get()
    assert stored.kind == FileKind.SUBMITTED and stored.original_name == "letter.pdf"
    assert stored.file.name.startswith("reviews/") and "letter" not in stored.file.name
    assert stored.file.read() == pdf_bytes()
    assert actions(review) == ["submitted"]


def test_received_email_gives_the_due_date_in_the_applicants_zone(
    applicant, review_service, credit, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(MONDAY_10, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        review = submit(applicant, review_service)
    [mail] = mailoutbox
    assert mail.to == ["amal@example.com"]
    assert "Sat 7 Mar, 03:30 (India)" in mail.body  # Fri 17:00 Toronto in Kolkata
    assert f"http://testserver/reviews/{review.public_id}/" in mail.body


def test_no_credit_no_review_and_nothing_stored(applicant, review_service):
    with pytest.raises(CreditUnavailable):
        submit(applicant, review_service, files=[a_pdf()])
    assert not Review.objects.exists()
    assert not ReviewFile.objects.exists()


def test_a_second_submission_on_one_credit_is_refused(applicant, review_service, credit):
    submit(applicant, review_service)
    with pytest.raises(CreditUnavailable):
        submit(applicant, review_service)
    assert Review.objects.count() == 1


def test_a_failure_after_the_files_were_written_deletes_them(
    applicant, review_service, credit, monkeypatch
):
    written = []
    storage = ReviewFile._meta.get_field("file").storage
    real_save = storage.save

    def spy(name, content, max_length=None):
        saved = real_save(name, content, max_length=max_length)
        written.append(saved)
        return saved

    monkeypatch.setattr(storage, "save", spy)

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "record", boom)
    with pytest.raises(RuntimeError):
        submit(applicant, review_service, files=[a_pdf(), a_pdf("cv.pdf")])
    assert len(written) == 2
    assert not any(storage.exists(name) for name in written)
    credit.refresh_from_db()
    assert credit.remaining == 1
    assert not Review.objects.exists()


def test_a_live_session_service_cannot_be_sent_for_review(applicant):
    from tests.coaching.factories import ServiceFactory

    with pytest.raises(ReviewStateError):
        submit(applicant, ServiceFactory())


# --- withdrawing ----------------------------------------------------------------------------


def test_withdrawing_before_a_claim_gives_the_credit_back(applicant, review_service, credit):
    review = submit(applicant, review_service)
    services.review_withdraw(review=review, actor=applicant)

    review.refresh_from_db()
    credit.refresh_from_db()
    assert review.status == ReviewStatus.WITHDRAWN and review.withdrawn_at
    assert credit.remaining == 1
    assert actions(review) == ["submitted", "withdrawn"]
    # again: nothing more comes back
    services.review_withdraw(review=review, actor=applicant)
    credit.refresh_from_db()
    assert credit.remaining == 1


def test_a_claimed_review_cannot_be_withdrawn(applicant, review_service, credit, reviewer):
    review = submit(applicant, review_service)
    services.review_claim(review=review, coach=reviewer)
    with pytest.raises(ReviewStateError, match="can no longer be withdrawn"):
        services.review_withdraw(review=review, actor=applicant)
    credit.refresh_from_db()
    assert credit.remaining == 0


def test_someone_else_cannot_withdraw(applicant, review_service, credit):
    review = submit(applicant, review_service)
    with pytest.raises(ReviewForbidden):
        services.review_withdraw(review=review, actor=UserFactory())


def test_refund_withdraws_unclaimed_reviews_of_those_credits_without_giving_credit_back(
    applicant, review_service, reviewer
):
    from tests.booking.factories import CreditFactory

    credit = CreditFactory(
        applicant=applicant, service=review_service, quantity=2, source="order-line:7:service:1"
    )
    claimed, unclaimed = submit(applicant, review_service), submit(applicant, review_service)
    services.review_claim(review=claimed, coach=reviewer)

    withdrawn = services.reviews_withdraw_for_credit_sources(
        sources=["order-line:7:service:1"], reason="Order refunded"
    )

    assert [r.pk for r in withdrawn] == [unclaimed.pk]
    claimed.refresh_from_db()
    unclaimed.refresh_from_db()
    credit.refresh_from_db()
    assert claimed.status == ReviewStatus.ASSIGNED
    assert unclaimed.status == ReviewStatus.WITHDRAWN
    assert credit.remaining == 0


# --- claiming ---------------------------------------------------------------------------------


def test_a_claim_assigns_the_review_once(applicant, review_service, credit, reviewer):
    review = submit(applicant, review_service)
    claimed = services.review_claim(review=review, coach=reviewer)
    assert claimed.status == ReviewStatus.ASSIGNED and claimed.reviewer == reviewer
    services.review_claim(review=review, coach=reviewer)  # a double click changes nothing
    assert actions(review) == ["submitted", "assigned"]


def test_a_second_coach_is_told_the_review_is_taken(applicant, review_service, credit, reviewer):
    other = CoachFactory(services=[review_service])
    review = submit(applicant, review_service)
    services.review_claim(review=review, coach=reviewer)
    with pytest.raises(ClaimLost):
        services.review_claim(review=review, coach=other)
    review.refresh_from_db()
    assert review.reviewer == reviewer


def test_a_coach_who_does_not_review_the_service_cannot_claim(applicant, review_service, credit):
    review = submit(applicant, review_service)
    with pytest.raises(ClaimRefused):
        services.review_claim(review=review, coach=CoachFactory())


def test_a_withdrawn_review_cannot_be_claimed(applicant, review_service, credit, reviewer):
    review = submit(applicant, review_service)
    services.review_withdraw(review=review, actor=applicant)
    with pytest.raises(ReviewStateError):
        services.review_claim(review=review, coach=reviewer)


def test_the_coach_limit_of_open_items_stops_claims(review_service, reviewer):
    reviewer.max_open_items = 2
    reviewer.save()
    ReviewFactory(service=review_service, reviewer=reviewer, assigned=True)
    third = ReviewFactory(service=review_service)
    second = ReviewFactory(service=review_service)
    services.review_claim(review=second, coach=reviewer)
    with pytest.raises(QueueFull):
        services.review_claim(review=third, coach=reviewer)
    # items open in other apps count too: tests/coaching/test_work_queue.py
    reviewer.max_open_items = 3
    reviewer.save()
    services.review_claim(review=third, coach=reviewer)


# --- returning --------------------------------------------------------------------------------


def test_returning_records_the_answer_and_emails_the_applicant(
    applicant, review_service, credit, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    review = submit(applicant, review_service)
    services.review_claim(review=review, coach=reviewer)
    services.review_save_draft(review=review, coach=reviewer, summary="Draft", suggested_text="")
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        services.review_return(
            review=review,
            coach=reviewer,
            summary="Lead with the outcome.",
            suggested_text=TEXT.replace("led", "founded and led"),
            files=[a_pdf("letter-marked.pdf")],
        )
    review.refresh_from_db()
    round = review.rounds.get()
    assert review.status == ReviewStatus.RETURNED and review.returned_at
    assert round.summary == "Lead with the outcome." and round.returned_by == reviewer
    assert round.files.get(kind=FileKind.RETURNED).original_name == "letter-marked.pdf"
    assert actions(review) == ["submitted", "assigned", "started", "returned"]
    assert [m.subject for m in mailoutbox] == ["Your review is back: Personal letter review"]


def test_an_empty_return_is_refused(applicant, review_service, credit, reviewer):
    review = submit(applicant, review_service)
    services.review_claim(review=review, coach=reviewer)
    with pytest.raises(EmptyReturn):
        services.review_return(
            review=review, coach=reviewer, summary="  ", suggested_text=TEXT, files=[]
        )
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED


def test_only_the_assigned_reviewer_can_return(applicant, review_service, credit, reviewer):
    review = submit(applicant, review_service)
    services.review_claim(review=review, coach=reviewer)
    other = CoachFactory(services=[review_service])
    with pytest.raises(ReviewForbidden):
        services.review_return(review=review, coach=other, summary="x", suggested_text="", files=[])


# --- revisions --------------------------------------------------------------------------------


def test_one_follow_up_round_is_included(applicant, review_service):
    review = ReviewFactory(applicant=applicant, service=review_service, returned=True)
    services.review_request_revision(review=review, actor=applicant, text="v2", note="", files=[])
    review.refresh_from_db()
    assert review.status == ReviewStatus.REVISION_REQUESTED
    assert review.rounds.count() == 2
    services.review_return(
        review=review, coach=review.reviewer, summary="Better.", suggested_text="", files=[]
    )
    with pytest.raises(RevisionLimit):
        services.review_request_revision(
            review=review, actor=applicant, text="v3", note="", files=[]
        )
    assert review.rounds.count() == 2


def test_the_revisions_perk_gives_unlimited_rounds(applicant, review_service):
    entitlement_grant(
        member=applicant,
        perk=PerkKind.APPLICATION_REVISIONS,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=30),
        source="test:revisions",
    )
    review = ReviewFactory(applicant=applicant, service=review_service, returned=True)
    for number in range(2, 5):
        services.review_request_revision(
            review=review, actor=applicant, text=f"v{number}", note="", files=[]
        )
        services.review_return(
            review=review, coach=review.reviewer, summary="Again.", suggested_text="", files=[]
        )
    assert review.rounds.count() == 4


@time_machine.travel(MONDAY_10, tick=False)
def test_a_revision_gets_a_new_due_date_and_resets_the_notices(applicant, review_service):
    review = ReviewFactory(
        applicant=applicant,
        service=review_service,
        returned=True,
        reminder_sent_at=MONDAY_10,
        overdue_notice_sent_at=MONDAY_10,
    )
    services.review_request_revision(
        review=review, actor=applicant, text="", note="Look again", files=[]
    )
    review.refresh_from_db()
    assert review.due_at == datetime(2026, 3, 6, 22, 0, tzinfo=UTC)
    assert review.reminder_sent_at is None and review.overdue_notice_sent_at is None


def test_a_revision_needs_something_new(applicant, review_service):
    review = ReviewFactory(applicant=applicant, service=review_service, returned=True)
    with pytest.raises(ReviewStateError):
        services.review_request_revision(
            review=review, actor=applicant, text=" ", note="", files=[]
        )


def test_closing_a_returned_review(applicant, review_service):
    review = ReviewFactory(applicant=applicant, service=review_service, returned=True)
    services.review_close(review=review, actor=applicant)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED and review.closed_at
    with pytest.raises(ReviewStateError):
        services.review_request_revision(
            review=review, actor=applicant, text="x", note="", files=[]
        )


def test_an_unreturned_review_cannot_be_closed(applicant, review_service):
    review = ReviewFactory(applicant=applicant, service=review_service, in_review=True)
    with pytest.raises(ReviewStateError):
        services.review_close(review=review, actor=applicant)


# --- files ------------------------------------------------------------------------------------


def test_the_applicant_deletes_their_file_and_the_record_stays(
    applicant, review_service, django_capture_on_commit_callbacks
):
    file = ReviewFileFactory(review=ReviewFactory(applicant=applicant, service=review_service))
    name = file.file.name
    storage = file.file.storage
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_file_delete(file=file, actor=applicant)
    file.refresh_from_db()
    assert file.is_deleted and not file.file
    assert not storage.exists(name)
    assert file.original_name == "letter.pdf"
    assert ModelLogEntry.objects.filter(action="review.file_deleted").exists()


def test_nobody_else_deletes_an_applicants_file(review_service):
    file = ReviewFileFactory(review=ReviewFactory(service=review_service, assigned=True))
    for person in (UserFactory(), file.review.reviewer.user):
        with pytest.raises(ReviewForbidden):
            services.review_file_delete(file=file, actor=person)


# --- staff ------------------------------------------------------------------------------------


def test_staff_reassign_and_assign(review_service, reviewer):
    staff = UserFactory(is_staff=True, is_superuser=True)
    waiting = ReviewFactory(service=review_service)
    services.review_reassign(review=waiting, to_coach=reviewer, actor=staff)
    waiting.refresh_from_db()
    assert waiting.status == ReviewStatus.ASSIGNED and waiting.reviewer == reviewer

    busy = ReviewFactory(service=review_service, in_review=True)
    services.review_reassign(review=busy, to_coach=reviewer, actor=staff, reason="Holiday")
    busy.refresh_from_db()
    assert busy.reviewer == reviewer and busy.status == ReviewStatus.IN_REVIEW
    assert entries(busy).get().action == "review.reassigned"


def test_only_staff_reassign(review_service, reviewer):
    editor = UserFactory(is_staff=True)
    with pytest.raises(ReviewForbidden):
        services.review_reassign(
            review=ReviewFactory(service=review_service), to_coach=reviewer, actor=editor
        )


# --- jobs -------------------------------------------------------------------------------------


def test_the_reminder_goes_out_once_on_the_working_day_before_the_due_date(
    review_service, mailoutbox, django_capture_on_commit_callbacks
):
    # due Monday 6 April 2026 17:00 Toronto; Good Friday 3 April, so the day before is Thu 2
    due = datetime(2026, 4, 6, 21, 0, tzinfo=UTC)
    review = ReviewFactory(service=review_service, in_review=True, due_at=due)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviews_send_reminders(now=datetime(2026, 4, 1, 15, tzinfo=UTC)) == 0
        assert services.reviews_send_reminders(now=datetime(2026, 4, 2, 4, tzinfo=UTC)) == 0
        assert services.reviews_send_reminders(now=datetime(2026, 4, 2, 13, tzinfo=UTC)) == 1
        assert services.reviews_send_reminders(now=datetime(2026, 4, 2, 14, tzinfo=UTC)) == 0
    [mail] = mailoutbox
    assert mail.to == [review.reviewer.user.email]
    review.refresh_from_db()
    assert review.reminder_sent_at == datetime(2026, 4, 2, 13, tzinfo=UTC)


def test_overdue_apology_is_sent_once(
    review_service, mailoutbox, django_capture_on_commit_callbacks
):
    late = ReviewFactory(
        service=review_service, assigned=True, due_at=timezone.now() - timedelta(hours=1)
    )
    ReviewFactory(service=review_service, returned=True, due_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviews_send_overdue_notices() == 1
        assert services.reviews_send_overdue_notices() == 0
    [mail] = mailoutbox
    assert mail.to == [late.applicant.email] and "late" in mail.subject


def test_returned_reviews_close_themselves_after_fourteen_days(review_service):
    now = timezone.now()
    old = ReviewFactory(service=review_service, returned=True, returned_at=now - timedelta(days=14))
    fresh = ReviewFactory(
        service=review_service, returned=True, returned_at=now - timedelta(days=13)
    )
    assert services.reviews_auto_close(now=now) == 1
    assert services.reviews_auto_close(now=now) == 0
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ReviewStatus.CLOSED and fresh.status == ReviewStatus.RETURNED
    assert entries(old).get().action == "review.auto_closed"


def test_files_are_deleted_after_the_retention_period_and_the_records_stay(
    review_service, settings, django_capture_on_commit_callbacks
):
    settings.REVIEW_FILE_RETENTION_DAYS = 30
    now = timezone.now()
    expired = ReviewFactory(service=review_service, closed=True, closed_at=now - timedelta(days=31))
    recent = ReviewFactory(service=review_service, closed=True, closed_at=now - timedelta(days=29))
    open_one = ReviewFactory(service=review_service, in_review=True)
    files = [ReviewFileFactory(review=r) for r in (expired, expired, recent, open_one)]
    names = [f.file.name for f in files]
    storage = files[0].file.storage

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviews_purge_files(now=now) == 2
        assert services.reviews_purge_files(now=now) == 0

    assert [storage.exists(n) for n in names] == [False, False, True, True]
    assert ReviewFile.objects.count() == 4
    assert Review.objects.get(pk=expired.pk).files_purged_at == now
    assert (
        expired.rounds.count() == 1
        and entries(expired).filter(action="review.files_purged").exists()
    )
