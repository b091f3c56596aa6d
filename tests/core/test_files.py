"""The private storage and the protected download response, on real files in a temp folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory

from core.files import private_storage, protected_download

# Closing a response fires request_finished, which checks the database connection.
pytestmark = pytest.mark.django_db

BODY = bytes(range(256)) * 4  # 1024 bytes, every offset distinguishable
SIZE = len(BODY)


@pytest.fixture
def stored(private_root):
    """The name of a 1 KiB file saved in the private storage."""
    return private_storage().save("reviews/ab12/recording.mp3", ContentFile(BODY))


def download(name, *, range_header=None, method="get", **kwargs):
    headers = {"Range": range_header} if range_header else {}
    request = getattr(RequestFactory(), method)("/files/x/", headers=headers)
    kwargs.setdefault("filename", "recording.mp3")
    return protected_download(request, file=private_storage().open(name), **kwargs)


def body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return content


def test_private_files_are_written_outside_media_root_and_have_no_url(
    stored, private_root, settings
):
    assert (private_root / stored).read_bytes() == BODY
    assert not Path(private_root).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(NotImplementedError):
        private_storage().url(stored)


def test_default_private_root_is_outside_media_and_a_root_inside_media_refuses_to_start(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "medpath.settings",
        "DEBUG": "1",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['private']['OPTIONS']['location'])"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("/private")

    inside = {**env, "PRIVATE_STORAGE_ROOT": str(tmp_path / "media" / "private")}
    run = subprocess.run([sys.executable, "-c", code], env=inside, capture_output=True, text=True)
    assert run.returncode != 0
    assert "PRIVATE_STORAGE_ROOT must be outside MEDIA_ROOT" in run.stderr


def test_whole_file_is_an_uncached_nosniff_attachment_that_advertises_ranges(stored):
    response = download(stored)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Disposition"] == 'attachment; filename="recording.mp3"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Accept-Ranges"] == "bytes"
    assert "Content-Range" not in response
    assert body(response) == BODY


def test_stored_path_never_appears_in_the_response_headers(stored):
    response = download(stored, filename="My recording.mp3")
    assert "reviews" not in str(response.headers) and "ab12" not in str(response.headers)
    assert response["Content-Disposition"] == 'attachment; filename="My recording.mp3"'
    body(response)


@pytest.mark.parametrize(
    ("range_header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=100-199", 100, 199),
        ("bytes=1000-", 1000, SIZE - 1),
        ("bytes=-24", SIZE - 24, SIZE - 1),
        ("bytes=1020-5000", 1020, SIZE - 1),  # the end is clamped to the file
        ("bytes=-5000", 0, SIZE - 1),  # a suffix longer than the file is the whole file
        ("bytes=0-0", 0, 0),
        ("BYTES = 3 - 4", 3, 4),  # the unit is case-insensitive; spaces are tolerated
    ],
)
def test_single_range_gets_206_with_exactly_those_bytes(stored, range_header, first, last):
    response = download(stored, range_header=range_header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(response) == BODY[first : last + 1]


def test_range_larger_than_one_read_chunk_is_streamed_whole(private_root):
    big = os.urandom(200_000)
    name = private_storage().save("big.mp4", ContentFile(big))
    response = download(name, filename="big.mp4", range_header="bytes=1-150000")
    assert response.status_code == 206
    assert body(response) == big[1:150001]


@pytest.mark.parametrize("range_header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_range_gets_416_with_the_size(stored, range_header):
    response = download(stored, range_header=range_header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == b""


@pytest.mark.parametrize(
    "range_header",
    ["bytes=0-1,4-5", "bytes=abc", "items=0-5", "bytes=9-2", "bytes=-", "0-5"],
)
def test_ranges_we_do_not_serve_are_ignored_and_the_whole_file_sent(stored, range_header):
    response = download(stored, range_header=range_header)
    assert response.status_code == 200
    assert body(response) == BODY


def test_if_range_cannot_match_so_the_whole_file_is_sent(stored):
    request = RequestFactory().get("/", headers={"Range": "bytes=0-9", "If-Range": '"etag"'})
    response = protected_download(request, file=private_storage().open(stored), filename="a.mp3")
    assert response.status_code == 200
    assert body(response) == BODY


def test_range_on_an_empty_file_sends_the_empty_file(private_root):
    name = private_storage().save("empty.txt", ContentFile(b""))
    response = download(name, filename="empty.txt", range_header="bytes=0-")
    assert response.status_code == 200
    assert body(response) == b""


def test_file_is_closed_once_the_range_is_sent(stored):
    handle = private_storage().open(stored)
    request = RequestFactory().get("/", headers={"Range": "bytes=0-9"})
    response = protected_download(request, file=handle, filename="a.mp3")
    assert body(response) == BODY[:10]
    assert handle.closed


def test_plain_open_file_and_a_closed_django_file_are_accepted(stored, private_root):
    path = private_root / stored
    with open(path, "rb") as handle:
        response = protected_download(RequestFactory().get("/"), file=handle, filename="a.mp3")
        assert body(response) == BODY
    django_file = private_storage().open(stored)
    django_file.read(10)
    django_file.close()
    response = protected_download(
        RequestFactory().get("/", headers={"Range": "bytes=-4"}), file=django_file, filename="a.mp3"
    )
    assert body(response) == BODY[-4:]


@pytest.mark.parametrize(
    ("filename", "header"),
    [
        (
            "résumé final.pdf",
            "attachment; filename=\"resume final.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf",
        ),
        (
            "резюме.pdf",
            "attachment; filename=\"download.pdf\"; filename*=UTF-8''%D1%80%D0%B5%D0%B7%D1%8E%D0%BC%D0%B5.pdf",
        ),
        (
            "CV 😀.pdf",
            "attachment; filename=\"CV.pdf\"; filename*=UTF-8''CV%20%F0%9F%98%80.pdf",
        ),
        ("ملف", "attachment; filename=\"download\"; filename*=UTF-8''%D9%85%D9%84%D9%81"),
    ],
)
def test_unicode_names_get_an_ascii_fallback_and_rfc5987_filename_star(stored, filename, header):
    response = download(stored, filename=filename)
    assert response["Content-Disposition"] == header
    body(response)


@pytest.mark.parametrize(
    ("filename", "sent_as"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/var/private/reviews/x/letter.pdf", "letter.pdf"),
        ("..", "download"),
        ("../", "download"),
        ("", "download"),
        (".env", "env"),
        ('say "hi".pdf', "say hi.pdf"),
        ("it's.pdf", "its.pdf"),
        ("a\r\nSet-Cookie: x=1.pdf", "aSet-Cookie_ x=1.pdf"),
        ("evil\u202egnp.exe", "evilgnp.exe"),  # a right-to-left override cannot disguise .exe
        ("100%;done.pdf", "100_done.pdf"),
    ],
)
def test_path_parts_control_characters_and_quotes_never_reach_the_header(stored, filename, sent_as):
    response = download(stored, filename=filename)
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{sent_as}"')
    for bad in ("/", "\\", "\r", "\n", "\u202e", ".."):
        assert bad not in disposition.split("filename*=")[0]
    body(response)


def test_a_very_long_name_is_cut_but_keeps_its_extension(stored):
    response = download(stored, filename="x" * 400 + ".pdf")
    disposition = response["Content-Disposition"]
    sent = disposition.split('filename="')[1].split('"')[0]
    assert len(sent) == 150 and sent.endswith(".pdf")
    body(response)


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("page.html", None),
        ("page.htm", None),
        ("image.svg", None),
        ("data.xml", None),
        ("script.js", None),
        ("renamed.pdf", "text/html; charset=utf-8"),
        ("unknown.bin", None),
    ],
)
def test_active_or_unknown_content_is_always_an_attachment_even_when_inline_is_asked(
    stored, filename, content_type
):
    response = download(stored, filename=filename, content_type=content_type, inline=True)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    body(response)


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("book.pdf", "application/pdf"),
        ("talk.mp3", "audio/mpeg"),
        ("webinar.mp4", "video/mp4"),
        ("scan.png", "image/png"),
        ("notes.txt", "text/plain"),
    ],
)
def test_safe_types_may_be_shown_inline(stored, filename, content_type):
    response = download(stored, filename=filename, inline=True)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{filename}"'
    body(response)


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("archive.tar.gz", "application/gzip"),  # never Content-Encoding: the file stays packed
        ("no-extension", "application/octet-stream"),
    ],
)
def test_content_type_is_guessed_from_the_name_when_not_given(stored, filename, content_type):
    response = download(stored, filename=filename)
    assert response["Content-Type"] == content_type
    assert "Content-Encoding" not in response
    body(response)


def test_given_content_type_wins_over_the_guess(stored):
    response = download(stored, filename="a.bin", content_type="audio/ogg")
    assert response["Content-Type"] == "audio/ogg"
    body(response)
