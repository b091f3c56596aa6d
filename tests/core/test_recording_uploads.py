"""Recordings are kept by their first bytes, not their name or the browser's word: WebM, Ogg
or MP4, as audio or video, within the caller's size limit; anything else is refused with
a reason (`core.uploads.check_recording`)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import UploadRejected, check_recording

# --- recordings ------------------------------------------------------------------------------

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 12
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 8
OGG = b"OggS" + b"\x00" * 12


def _recording(data: bytes, name: str = "answer"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("data", "video", "expected"),
    [
        (WEBM, False, "audio/webm"),
        (OGG, False, "audio/ogg"),
        (MP4, False, "audio/mp4"),
        (WEBM, True, "video/webm"),
        (MP4, True, "video/mp4"),
    ],
)
def test_a_recording_is_named_by_its_first_bytes(data, video, expected):
    upload = _recording(data, name="answer.exe")
    assert check_recording(upload, max_bytes=1024, video=video) == expected
    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("data", "video", "code"),
    [
        (b"%PDF-1.7" + b"\x00" * 8, False, "not_audio"),
        (b"<html><script>", False, "not_audio"),
        (b"ID3\x04" + b"\x00" * 12, True, "not_video"),
        (b"", False, "empty"),
        (WEBM + b"\x00" * 2048, False, "too_large"),
    ],
)
def test_anything_else_is_refused_with_a_reason(data, video, code):
    with pytest.raises(UploadRejected) as refused:
        check_recording(_recording(data), max_bytes=1024, video=video)
    assert refused.value.code == code
    assert refused.value.status == 400


def test_no_file_is_refused():
    with pytest.raises(UploadRejected) as refused:
        check_recording(None, max_bytes=1024)
    assert refused.value.code == "no_file"
