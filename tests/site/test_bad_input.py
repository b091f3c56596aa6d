"""A NUL byte anywhere in a request, or a body that cannot be parsed, is a 400 with a reason.

One rule for every URL (medpath.middleware.RejectBadInputMiddleware), so the page and search
tests elsewhere leave NUL to this module.

PostgreSQL refuses NUL in text (psycopg raises before the query runs), so each of these was a
500 on PostgreSQL; run this module there too (DATABASE_URL=postgres://…).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from medpath.middleware import RejectBadInputMiddleware
from tests.booking.factories import BookingFactory, UserFactory
from tests.payments.factories import OrderFactory

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "contains a NUL character"


def assert_rejected(response, *, api: bool) -> None:
    assert response.status_code == 400
    if api:
        body = response.json()
        assert body["code"] == "invalid"
        assert NUL_MESSAGE in body["detail"]
    else:
        assert response["Content-Type"].startswith("text/plain")
        assert NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/slots?service=%00&start=2027-03-01&end=2027-03-07&tz=UTC",
        "/api/v1/slots?service=strategy&start=2027-03-01&end=2027-03-07&tz=UTC&coach=%00",
        "/api/v1/slots?service=strategy&start=2027-03-01&end=2027-03-07&tz=%00",
        "/api/v1/coaches?service=%00",
        "/api/v1/bookings/%00",
        "/api/v1/%00",
        "/coach/calendar/%00.ics",
        "/checkout/offline/%00/",
        "/checkout/success/?session_id=%00",
        "/checkout/cancel/%00/",
        "/dashboard/orders/%00/",
        "/book/bookings/%00/",
        "/packages/%00/",
        "/search/?q=%00",
        "/search/?q=a&q=%00",
        "/accounts/%00/",
        "/ontario-img/%00/",
        "/%00/",
        "/static/medpath/css/site.css?v=%00",
    ],
)
def test_nul_in_an_address_or_query_is_a_400_anonymously(client, url):
    # JSON in the API's error shape under /api/, a plain-text reason elsewhere.
    assert_rejected(client.get(url), api=url.startswith("/api/"))


@pytest.fixture
def applicant(db):
    return UserFactory(email="amal@example.com")


@pytest.fixture
def booking(applicant):
    return BookingFactory(applicant=applicant, confirmed=True)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/orders/{order}%00/",
        "/book/bookings/{booking}%00/",
        "/book/bookings/%00{booking}/cancel/",
        "/api/v1/bookings/{booking}%00",
        "/checkout/cancel/{order}%00/",
    ],
)
def test_nul_in_an_order_or_booking_id_is_a_400_when_logged_in(client, applicant, booking, url):
    order = OrderFactory(buyer=applicant)
    client.force_login(applicant)

    response = client.get(url.format(order=order.public_id, booking=booking.public_id))

    assert_rejected(response, api=url.startswith("/api/"))


def post_cancel(client, booking, body, content_type):
    """The API's cancel call, as the booking's applicant."""
    client.force_login(booking.applicant)
    return client.post(
        f"/api/v1/bookings/{booking.public_id}/cancel", body, content_type=content_type
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        # json.dumps writes NUL as the escape \u0000
        (json.dumps({"reason": "plans\u0000changed"}), "application/json"),
        (b'{"reason": "plans\x00changed"}', "application/json"),
        # the API parses JSON whatever content type the request claims
        ('{"reason": "plans\\u0000changed"}', "text/plain"),
        # a binary type is no way round it on the API (elsewhere it is a file's bytes)
        (b'{"reason": "plans\x00changed"}', "application/octet-stream"),
    ],
)
def test_nul_in_a_json_reason_is_refused(client, booking, body, content_type):
    response = post_cancel(client, booking, body, content_type)

    assert_rejected(response, api=True)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_nul_in_a_form_reason_is_refused(client, applicant, booking):
    client.force_login(applicant)

    response = client.post(
        f"/book/bookings/{booking.public_id}/cancel/", {"reason": "plans\x00changed"}
    )

    assert_rejected(response, api=False)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_nul_in_a_multipart_field_name_or_value_is_refused(client, applicant):
    client.force_login(applicant)

    field_name = client.post("/accounts/profile/", {"display\x00name": "Amal"})
    field_value = client.post(
        "/accounts/profile/",
        {"display_name": "Am\x00al", "upload": SimpleUploadedFile("cv.pdf", b"%PDF-1.4")},
    )

    file_field = client.post(
        "/accounts/profile/",
        {"display_name": "Amal", "up\x00load": SimpleUploadedFile("cv.pdf", b"%PDF-1.4")},
    )

    assert_rejected(field_name, api=False)
    assert_rejected(field_value, api=False)
    assert_rejected(file_field, api=False)


def test_nul_never_reaches_code_in_an_uploaded_file_name():
    # Django's multipart parser drops every non-printable character from upload names before
    # upload handlers or views see them; the middleware relies on that, and so does this test.
    request = RequestFactory().post(
        "/accounts/profile/", {"upload": SimpleUploadedFile("cv\x00.pdf", b"%PDF-1.4")}
    )

    assert RejectBadInputMiddleware.problem(request) is None
    assert request.FILES["upload"].name == "cv.pdf"


def test_nul_in_a_login_form_is_refused_anonymously(client):
    response = client.post("/accounts/login/", {"login": "a\x00@example.com", "password": "x"})

    assert_rejected(response, api=False)


def test_nul_in_a_cookie_is_refused(client):
    # A session key that long reaches the session table's query.
    client.cookies["sessionid"] = "\x00" * 32

    assert_rejected(client.get("/dashboard/"), api=False)


def test_a_file_may_contain_nul_bytes(client, applicant):
    # Only names and text fields are checked; uploaded files are binary.
    client.force_login(applicant)

    response = client.post(
        "/accounts/profile/",
        {"display_name": "Amal", "upload": SimpleUploadedFile("cv.pdf", b"%PDF\x00\x01")},
    )

    assert response.status_code != 400 or NUL_MESSAGE not in response.content.decode()


def test_a_binary_body_may_contain_nul_bytes_outside_the_api(client, applicant):
    # A recorded answer's part: the view checks what it is by its first bytes.
    client.force_login(applicant)
    response = client.post(
        "/practice/attempts/nosuchattempt/scenarios/1/recording/0/takes/abcdefgh12/parts/0/",
        b"\x1a\x45\xdf\xa3\x00\x00",
        content_type="application/octet-stream",
    )
    assert response.status_code == 404  # reached the view (which knows no such attempt)


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul():
    # JSON `"C:\\u0000"` is the seven characters C:\u0000, no NUL in it.
    request = RequestFactory().post(
        "/api/v1/bookings", b'{"notes": "C:\\\\u0000"}', content_type="application/json"
    )

    assert RejectBadInputMiddleware.problem(request) is None


def test_the_json_nul_escape_after_an_escaped_quote_is_still_found():
    request = RequestFactory().post(
        "/api/v1/bookings", b'{"notes": "\\"\\u0000"}', content_type="application/json"
    )

    assert NUL_MESSAGE in RejectBadInputMiddleware.problem(request)


def test_a_multipart_post_without_a_boundary_is_a_json_400_on_the_api(client, booking):
    body = b"--x\r\nContent-Disposition: form-data; name=reason\r\n\r\nhi\r\n--x--\r\n"

    response = post_cancel(client, booking, body, "multipart/form-data")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "could not be read" in response.json()["detail"]


def test_a_multipart_post_without_a_boundary_is_a_400_anywhere(client):
    response = client.post(
        "/accounts/login/", b"login=a&password=b", content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_small_multipart_body_stays_readable_for_views(client):
    # The API reads request.body itself; checking the form first must not consume it.
    response = client.post("/api/v1/bookings", {"notes": "hello"})

    assert response.status_code in {400, 401}
    assert response.json()["code"] in {"invalid", "not_authenticated"}


def test_staff_order_page_for_a_missing_order_is_a_404(client):
    staff = UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)
    client.force_login(staff)

    assert client.get("/admin/orders/inspect/0/").status_code == 404


@pytest.mark.django_db
def test_a_body_over_the_limit_is_a_413_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    response = client.post(
        "/api/v1/bookings", "{}", content_type="application/json", CONTENT_LENGTH="4096"
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert client.post("/checkout/session/", {}, CONTENT_LENGTH="4096").status_code == 413
    assert client.post("/checkout/session/", {}, CONTENT_LENGTH="lots").status_code == 400
