"""The review pages end to end through the test client: send, read the timeline, claim from
the queue, return with a word diff and a file, revise, close; the reviewer queue sorted by due
date with overdue marked; query counts constant as reviews grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews.diff import word_diff
from reviews.models import Review, ReviewStatus
from tests.history import actions
from tests.reviews.factories import ReviewFactory, ReviewFileFactory, pdf_bytes

pytestmark = pytest.mark.django_db

TEXT = "I led a free clinic for newcomers to Canada for three years."
SUGGESTED = "For three years I founded and led a free clinic for newcomers to Canada."


def test_word_diff_marks_insertions_and_deletions_and_keeps_the_rest():
    diff = word_diff("I led a clinic.", "I founded and led a clinic!")
    assert [(s.op, s.text) for s in diff.segments] == [
        ("equal", "I "),
        ("insert", "founded and "),
        ("equal", "led a clinic"),
        ("delete", "."),
        ("insert", "!"),
    ]
    assert (diff.inserted_words, diff.deleted_words) == (3, 1)


def _rebuilt(diff):
    before = "".join(s.text for s in diff.segments if not s.is_insert)
    after = "".join(s.text for s in diff.segments if not s.is_delete)
    return before, after


def test_a_long_letter_with_a_few_edits_is_diffed_word_by_word_line_by_line():
    paragraphs = [
        f"Paragraph {n}. I worked at clinic number {n} for {n} months. It mattered to me."
        for n in range(400)
    ]
    before = "\n".join(paragraphs)
    edited = list(paragraphs)
    edited[10] = edited[10].replace("mattered to me", "changed how I practise")
    edited[200:202] = [edited[200] + " " + edited[201]]  # two paragraphs merged
    after = "\n".join(edited)
    diff = word_diff(before, after)
    assert _rebuilt(diff) == (before, after)
    assert diff.inserted_words == 4 and diff.deleted_words == 3
    assert len(before) > 30_000


def test_a_huge_unpunctuated_replacement_falls_back_to_whole_and_stays_correct():
    before = " ".join(["care"] * 6000)
    after = " ".join(["cure"] * 6000)
    diff = word_diff(before, after)
    assert [s.op for s in diff.segments] == ["delete", "insert"]
    assert _rebuilt(diff) == (before, after)


def test_the_whole_exchange_through_the_pages(
    client,
    applicant,
    credit,
    review_service,
    reviewer,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(applicant)
    page = client.get(f"/reviews/new/?service={review_service.slug}")
    assert page.status_code == 200
    assert "1 credit left" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reviews/new/",
            {
                "service": review_service.pk,
                "text": TEXT.replace(" ", " ", 1) + "\r\n",
                "brief": "McMaster; 1 October",
                "files": [SimpleUploadedFile("letter.pdf", pdf_bytes())],
            },
        )
    review = Review.objects.get()
    assert response.status_code == 302
    assert review.rounds.get().text == TEXT + "\n"  # CRLF became LF
    assert "We have your documents" in mailoutbox[0].subject
    html = client.get(f"/reviews/{review.public_id}/").content.decode()
    assert "Withdraw this review" in html and "Submitted" in html

    # the reviewer claims from the queue and returns with a suggestion and a file
    client.force_login(reviewer.user)
    queue = client.get("/coach/reviews/").content.decode()
    assert "Personal letter review" in queue and "Claim" in queue
    response = client.post(f"/coach/reviews/review/{review.public_id}/claim/")
    assert response["Location"] == f"/reviews/{review.public_id}/"
    html = client.get(f"/reviews/{review.public_id}/").content.decode()
    assert "Return to the applicant" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/reviews/{review.public_id}/answer/",
            {
                "summary": "Lead with the outcome.\n\nSee https://example.com/abs-tips",
                "suggested_text": SUGGESTED,
                "action": "return",
                "files": [SimpleUploadedFile("letter-marked.pdf", pdf_bytes("Marked"))],
            },
        )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.RETURNED

    # the applicant reads the diff, asks for a revision
    client.force_login(applicant)
    html = client.get(f"/reviews/{review.public_id}/").content.decode()
    assert '<ins><span class="visually-hidden">[inserted: </span>' in html
    assert '<del><span class="visually-hidden">[deleted: </span>' in html
    assert '<a href="https://example.com/abs-tips"' in html
    assert "letter-marked.pdf" in html
    assert "Ask for a revision round" in html
    response = client.post(
        f"/reviews/{review.public_id}/revise/",
        {"text": SUGGESTED + " Now shorter.", "note": "Better?"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.REVISION_REQUESTED

    client.force_login(reviewer.user)
    client.post(
        f"/reviews/{review.public_id}/answer/",
        {"summary": "Good now.", "suggested_text": SUGGESTED + " Now shorter.", "action": "return"},
    )
    client.force_login(applicant)
    html = client.get(f"/reviews/{review.public_id}/").content.decode()
    assert "Your follow-up round is used" in html
    client.post(f"/reviews/{review.public_id}/close/")
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED
    assert actions(review) == [
        "submitted",
        "assigned",
        "started",
        "returned",
        "revision_requested",
        "started",
        "returned",
        "closed",
    ]


def test_an_empty_return_is_a_form_error_and_changes_nothing(client, review_service):
    review = ReviewFactory(service=review_service, in_review=True)
    client.force_login(review.reviewer.user)
    response = client.post(
        f"/reviews/{review.public_id}/answer/",
        {"summary": " ", "suggested_text": review.rounds.get().text, "action": "return"},
    )
    assert response.status_code == 400
    assert "before returning" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW


def test_html_in_the_text_and_summary_is_shown_as_text(client, review_service):
    review = ReviewFactory(service=review_service, returned=True)
    round = review.rounds.get()
    round.text = "<script>alert(1)</script> I led"
    round.summary = "<img src=x onerror=alert(1)>"
    round.suggested_text = "<script>alert(2)</script> I founded"
    round.save()
    client.force_login(review.applicant)
    html = client.get(f"/reviews/{review.public_id}/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_queue_lists_the_coachs_own_by_due_date_with_overdue_marked(
    client, review_service, reviewer
):
    now = timezone.now()
    late = ReviewFactory(
        service=review_service, reviewer=reviewer, assigned=True, due_at=now - timedelta(hours=2)
    )
    soon = ReviewFactory(
        service=review_service, reviewer=reviewer, in_review=True, due_at=now + timedelta(days=1)
    )
    later = ReviewFactory(
        service=review_service,
        reviewer=reviewer,
        revision_requested=True,
        due_at=now + timedelta(days=3),
    )
    ReviewFactory(service=review_service, returned=True)  # someone else's, done
    waiting = ReviewFactory(service=review_service)
    client.force_login(reviewer.user)
    html = client.get("/coach/reviews/").content.decode()
    mine = html[html.index("mine-heading") : html.index("waiting-heading")]
    assert mine.index(late.public_id) < mine.index(soon.public_id) < mine.index(later.public_id)
    assert mine.count("Overdue") == 1
    assert f"/coach/reviews/review/{waiting.public_id}/claim/" in html
    assert "3</strong> open items" in html


def test_the_coach_sets_their_limit(client, reviewer):
    client.force_login(reviewer.user)
    client.post("/coach/reviews/limit/", {"max_open_items": "9"})
    reviewer.refresh_from_db()
    assert reviewer.max_open_items == 9
    assert client.post("/coach/reviews/limit/", {"max_open_items": "\x00"}).status_code == 400
    for bad in ["0", "51", "-3", "nine"]:
        response = client.post("/coach/reviews/limit/", {"max_open_items": bad}, follow=True)
        assert response.status_code == 200
    reviewer.refresh_from_db()
    assert reviewer.max_open_items == 9


def test_queue_query_count_is_constant_as_reviews_grow(client, review_service, reviewer):
    ReviewFactory(service=review_service, reviewer=reviewer, assigned=True)
    ReviewFactory(service=review_service)
    client.force_login(reviewer.user)
    assert client.get("/coach/reviews/").status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get("/coach/reviews/").status_code == 200
    for _ in range(4):
        ReviewFactory(service=review_service, reviewer=reviewer, in_review=True)
        ReviewFactory(service=review_service)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/coach/reviews/")
    assert page.status_code == 200
    assert page.content.decode().count("Claim<span") == 5
    assert len(many) == len(few)


def test_review_page_query_count_is_constant_as_rounds_files_and_events_grow(
    client, review_service
):
    review = ReviewFactory(service=review_service, returned=True)
    ReviewFileFactory(review=review)
    client.force_login(review.applicant)
    url = f"/reviews/{review.public_id}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    from reviews import services

    for number in range(3):
        ReviewFileFactory(review=review)
        review.refresh_from_db()
        if number < 1:
            services.review_request_revision(
                review=review, actor=review.applicant, text="v", note="n", files=[]
            )
            services.review_return(
                review=review, coach=review.reviewer, summary="ok", suggested_text="v2", files=[]
            )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("letter.pdf</a>") == 4
    assert len(many) == len(few)


def test_review_list_query_count_is_constant(client, review_service):
    review = ReviewFactory(service=review_service)
    client.force_login(review.applicant)
    assert client.get("/reviews/").status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get("/reviews/").status_code == 200
    for _ in range(4):
        ReviewFactory(service=review_service, applicant=review.applicant, returned=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/reviews/").status_code == 200
    assert len(many) == len(few)
