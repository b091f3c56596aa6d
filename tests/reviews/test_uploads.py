"""Documents are accepted by their content: PDF, DOCX, ODT, UTF-8 text; 1–5 files of at most
10 MB. Every bad upload is a form error with nothing stored and no credit spent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from booking.models import Credit
from core.uploads import DOCX, ODT, PDF, TEXT, detect
from reviews.models import Review, ReviewFile
from tests.reviews.factories import docx_bytes, odt_bytes, pdf_bytes, zip_bytes

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (pdf_bytes(), PDF),
        (docx_bytes(), DOCX),
        (odt_bytes(), ODT),
        ("Résumé — ÉCOS 2024\n".encode(), TEXT),
        (ELF, None),
        (WINDOWS_EXE, None),
        (zip_bytes({"notes.txt": b"hi"}), None),  # a zip, but not a document
        (zip_bytes({"mimetype": b"application/epub+zip"}), None),
        (b"PK\x03\x04 not really a zip", None),
        ("café".encode("latin-1"), None),  # not UTF-8
        (b"text with a \x00 NUL", None),
    ],
    ids=["pdf", "docx", "odt", "text", "elf", "exe", "zip", "epub", "broken-zip", "latin1", "nul"],
)
def test_detect_by_content(content, kind):
    assert detect(content) == kind


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post(client, files, text=""):
    data = {"service": "", "text": text, "brief": "", "files": files}
    return client.post("/reviews/new/", data)


@pytest.fixture
def logged_in(client, applicant, credit, review_service):
    client.force_login(applicant)
    return client


def nothing_happened(credit):
    credit.refresh_from_db()
    assert credit.remaining == 1
    assert not Review.objects.exists()
    assert not ReviewFile.objects.exists()


BAD = [
    ("renamed executable", [upload("letter.pdf", WINDOWS_EXE)], "is not a valid PDF"),
    ("executable", [upload("setup.exe", WINDOWS_EXE)], "is not a PDF, Word"),
    ("wrong type", [upload("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)], "is not a PDF"),
    ("too big", [upload("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))], "larger than 10 MB"),
    ("empty", [upload("empty.pdf", b"")], "empty"),
    ("six files", [upload(f"f{n}.pdf", pdf_bytes()) for n in range(6)], "at most 5 files"),
    ("docx that is not a zip", [upload("letter.docx", b"Hello, I am text")], "not a valid Word"),
    ("zip renamed docx", [upload("letter.docx", zip_bytes({"a.txt": b"x"}))], "not a valid Word"),
    ("pdf named odt", [upload("letter.odt", pdf_bytes())], "not a valid OpenDocument"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "files", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_uploads_are_form_errors_with_nothing_stored_and_no_credit_spent(
    logged_in, credit, review_service, case, files, message
):
    data = {"service": str(review_service.pk), "text": "", "brief": "", "files": files}
    response = logged_in.post("/reviews/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "field--error" in html or "callout--warning" in html
    if message:
        assert message in html
    nothing_happened(credit)


def test_a_nul_byte_in_a_file_name_is_a_form_error():
    from django.core.exceptions import ValidationError

    from reviews.forms import DocumentsField

    with pytest.raises(ValidationError, match="control characters"):
        DocumentsField().clean([upload("let\x00ter.pdf", pdf_bytes())])


@pytest.mark.django_db
def test_a_nul_byte_in_a_name_sent_over_http_never_reaches_storage_or_the_database(
    logged_in, credit, review_service
):
    # Django's multipart parser drops non-printable characters from upload names before any
    # view sees them; whatever arrives is stored under a random key and shown without the NUL.
    response = logged_in.post(
        "/reviews/new/",
        {"service": str(review_service.pk), "files": [upload("let\x00ter.pdf", pdf_bytes())]},
    )
    assert response.status_code in (302, 400)
    for file in ReviewFile.objects.all():
        assert "\x00" not in file.original_name and "\x00" not in file.file.name


@pytest.mark.django_db
def test_a_request_larger_than_five_full_files_is_refused_before_reading(
    logged_in, credit, review_service
):
    response = logged_in.post(
        "/reviews/new/",
        {"service": str(review_service.pk)},
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "nothing was saved" in response.content.decode()
    nothing_happened(credit)


@pytest.mark.django_db
def test_text_with_a_nul_byte_is_a_form_error(logged_in, credit, review_service):
    response = logged_in.post(
        "/reviews/new/", {"service": str(review_service.pk), "text": "my ABS \x00 entry"}
    )
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    nothing_happened(credit)


@pytest.mark.django_db
def test_neither_text_nor_files_is_a_form_error(logged_in, credit, review_service):
    response = logged_in.post("/reviews/new/", {"service": str(review_service.pk), "text": "  "})
    assert response.status_code == 400
    assert "Paste your text or attach at least one file." in response.content.decode()
    nothing_happened(credit)


@pytest.mark.django_db
def test_good_files_of_every_kind_are_stored_under_random_names(logged_in, credit, review_service):
    files = [
        upload("Lettre de motivation.pdf", pdf_bytes()),
        upload("cv.docx", docx_bytes()),
        upload("cv.odt", odt_bytes()),
        upload("abs.txt", "Entrée 1: bénévolat".encode()),
    ]
    response = logged_in.post(
        "/reviews/new/",
        {"service": str(review_service.pk), "text": "", "brief": "Focus", "files": files},
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert response["Location"] == f"/reviews/{review.public_id}/"
    stored = list(review.files.order_by("id"))
    assert [f.original_name for f in stored] == [
        "Lettre de motivation.pdf",
        "cv.docx",
        "cv.odt",
        "abs.txt",
    ]
    assert all(f.file.name.startswith("reviews/") and "." not in f.file.name for f in stored)
    assert Credit.objects.get().remaining == 0
