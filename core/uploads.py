"""Uploads checked by their content, never by their name or the type the browser claims.

Documents (what a review accepts, and any other app's document upload):

PDF starts with `%PDF-`; DOCX and ODT are zip files whose parts say what they are (DOCX:
`[Content_Types].xml` and `word/document.xml`; ODT: a `mimetype` entry reading
`application/vnd.oasis.opendocument.text`); plain text must decode as UTF-8 and contain no NUL
byte. No libmagic: a fresh machine need not have it, and these four checks are all we need.

Recordings (spoken or filmed answers): a WebM/Matroska (EBML header), Ogg (`OggS`) or MP4
(`ftyp` at byte 4) container by its first bytes, within a size limit the caller gives.
Every refusal is an `UploadRejected` whose message names the file or says what to do.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass

from core.errors import DomainError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_NAME_CHARS = 150
# The largest request a form with files may send: five full files plus the text fields.
MAX_REQUEST_BYTES = MAX_FILES * MAX_FILE_BYTES + 512 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ACCEPTED_LABEL = "PDF, Word (.docx), OpenDocument (.odt) or plain text"
ACCEPT_ATTRIBUTE = ".pdf,.docx,.odt,.txt,application/pdf,text/plain"


class UploadRejected(DomainError):
    """A file refused by its content, size or name; the message names the file."""

    code = "bad_upload"
    status = 400


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    label: str


PDF = Kind("application/pdf", "pdf", "PDF document")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    "Word (DOCX) document",
)
ODT = Kind("application/vnd.oasis.opendocument.text", "odt", "OpenDocument (ODT) text")
TEXT = Kind("text/plain; charset=utf-8", "txt", "Plain text")
# Names ending in these must contain that kind of document.
CLAIMED_KINDS = {"pdf": PDF, "docx": DOCX, "odt": ODT}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: its bytes, a clean display name and the type we detected."""

    name: str
    content: bytes
    kind: Kind

    @property
    def size(self) -> int:
        return len(self.content)


def clean_name(name: str) -> str:
    """The name to show: refused if it hides control characters (a NUL byte, a newline)."""
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise UploadRejected(
            "A file name contains control characters (such as a NUL byte). Rename it."
        )
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise UploadRejected("A file has no name.")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: MAX_NAME_CHARS - len(extension) - 1] + dot + extension) if dot else name
        name = name[:MAX_NAME_CHARS]
    return name


def detect(content: bytes) -> Kind | None:
    """The accepted kind these bytes are, or None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    if b"\x00" in content:
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return TEXT


def _zip_kind(content: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError):
        return None
    return None


def check_upload(upload) -> CheckedFile:
    """Read and check one uploaded file (a Django `UploadedFile`); raise `UploadRejected`."""
    name = clean_name(upload.name or "")
    if upload.size > MAX_FILE_BYTES:
        raise UploadRejected(f"“{name}” is larger than 10 MB. Send a smaller file or split it.")
    if upload.size == 0:
        raise UploadRejected(f"“{name}” is empty.")
    upload.seek(0)
    content = upload.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise UploadRejected(f"“{name}” is larger than 10 MB. Send a smaller file or split it.")
    if not content:
        raise UploadRejected(f"“{name}” is empty.")
    kind = detect(content)
    claimed = CLAIMED_KINDS.get(name.rpartition(".")[2].lower()) if "." in name else None
    if claimed is not None and kind is not claimed:
        # A name that promises a document must keep its promise (a text file or a plain zip
        # named .docx is refused, not silently accepted as something else).
        raise UploadRejected(
            f"“{name}” is not a valid {claimed.label} (it may be damaged, or another kind of "
            "file renamed). Save it again from your word processor, or send a PDF."
        )
    if kind is None:
        raise UploadRejected(f"“{name}” is not a {ACCEPTED_LABEL} file.")
    stem, dot, _ = name.rpartition(".")
    display = f"{stem if dot else name}.{kind.extension}"
    return CheckedFile(name=display, content=content, kind=kind)


def check_uploads(uploads, *, allow_none: bool = True) -> list[CheckedFile]:
    """Check a list of uploads together: at most five, each valid."""
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise UploadRejected(f"Attach at most {MAX_FILES} files (you chose {len(uploads)}).")
    if not uploads and not allow_none:
        raise UploadRejected("Attach at least one file.")
    return [check_upload(upload) for upload in uploads]


# --- recordings ------------------------------------------------------------------------------

MEDIA_SIGNATURES = (
    # (container, offset, magic bytes)
    ("webm", 0, b"\x1a\x45\xdf\xa3"),  # EBML: WebM/Matroska
    ("ogg", 0, b"OggS"),
    ("mp4", 4, b"ftyp"),  # ISO base media: MP4/M4A
)
# What each container is called for an audio-only and for a filmed answer.
AUDIO_TYPES = {"webm": "audio/webm", "ogg": "audio/ogg", "mp4": "audio/mp4"}
VIDEO_TYPES = {"webm": "video/webm", "ogg": "video/ogg", "mp4": "video/mp4"}


def sniff_media(head: bytes) -> str | None:
    """The media container the first bytes announce ("webm", "ogg", "mp4"), or None."""
    for container, offset, magic in MEDIA_SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return container
    return None


def check_recording(upload, *, max_bytes: int, video: bool = False) -> str:
    """The content type of an uploaded recording (a Django `UploadedFile`) that is present, not
    empty, at most `max_bytes` and, by its first bytes, an audio (or with `video`, a video)
    container we keep; otherwise `UploadRejected` with a code (`no_file`, `too_large`, `empty`,
    `not_audio`/`not_video`). The file is left at its start."""
    if upload is None:
        raise UploadRejected("Choose a recording to upload.", code="no_file")
    if upload.size > max_bytes:
        raise UploadRejected(
            f"A recording can be at most {max_bytes // 2**20} MB.", code="too_large"
        )
    if upload.size == 0:
        raise UploadRejected("The recording is empty.", code="empty")
    upload.seek(0)
    container = sniff_media(upload.read(16))
    upload.seek(0)
    types = VIDEO_TYPES if video else AUDIO_TYPES
    if container not in types:
        kinds = "WebM, Ogg or MP4 video" if video else "WebM, Ogg or MP4 audio"
        raise UploadRejected(
            f"That is not a recording we can keep ({kinds}).",
            code="not_video" if video else "not_audio",
        )
    return types[container]
