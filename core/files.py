"""Private files: the "private" storage and the one response that hands such a file out.

Review documents, recordings and members' e-books live in `STORAGES["private"]`, a folder
outside `MEDIA_ROOT` with no public URL. A view first checks that the person asking may have
the file, then returns `protected_download(request, file=..., filename=...)`, which sends it
as an attachment with a safe name, `nosniff`, no caching, and byte ranges so that audio and
video players can seek.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

# Inline is allowed only for types a browser shows without running anything from the file;
# HTML, SVG, XML and everything unknown always download.
INLINE_TYPES = frozenset(
    {
        "application/pdf",
        "text/plain",
        "image/avif",
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/webp",
    }
)
INLINE_PREFIXES = ("audio/", "video/")

# mimetypes reports compression as an "encoding"; sending it as Content-Encoding would make
# the browser unpack the file, so name the compressed type instead (as Django's FileResponse).
COMPRESSED_TYPES = {
    "br": "application/x-brotli",
    "bzip2": "application/x-bzip",
    "compress": "application/x-compress",
    "gzip": "application/gzip",
    "xz": "application/x-xz",
}

CHUNK_SIZE = 64 * 1024
MAX_FILENAME_LENGTH = 150
FALLBACK_STEM = "download"
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()+,=@&#!~-]+")


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage whose files have no URL: `url()` raises instead of pointing at
    MEDIA_URL, so a template or serializer cannot leak a link that would bypass the checks.
    (NotImplementedError is how a storage says "no URLs"; Wagtail's document serving expects
    it and then streams the file through its permission-checked view.)"""

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise NotImplementedError("Private files have no URL; serve them through a view.")


def private_storage() -> Storage:
    """The storage for files that only `protected_download` may hand out."""
    return storages["private"]


def protected_download(
    request: HttpRequest,
    *,
    file,
    filename: str,
    content_type: str | None = None,
    inline: bool = False,
) -> HttpResponse:
    """Send `file` (a Django `File`/`FieldFile` or an open binary file) to a person the caller
    has already allowed to have it, under the name `filename`.

    An attachment unless `inline` is asked for and the type is safe to show (never HTML or
    SVG). Answers a single `Range: bytes=…` with 206, an unsatisfiable one with 416.
    """
    if not isinstance(file, File):
        file = File(file)
    name = safe_filename(filename)
    content_type = content_type or guess_content_type(name)
    disposition = "inline" if inline and _may_show_inline(content_type) else "attachment"

    if file.closed:
        file.open("rb")
    size = file.size
    byte_range = _requested_range(request, size)

    if byte_range is None:
        file.seek(0)
        response = FileResponse(file, content_type=content_type)
    elif byte_range == "unsatisfiable":
        file.close()
        response = HttpResponse(status=416, content_type=content_type)
        response["Content-Range"] = f"bytes */{size}"
    else:
        start, end = byte_range
        file.seek(start)
        response = StreamingHttpResponse(
            _RangeReader(file, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"

    response["Content-Disposition"] = content_disposition(disposition, name)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def safe_filename(filename: str) -> str:
    """The last path part of `filename` without control or format characters, quotes or
    leading dots, at most 150 characters; "download" if nothing is left."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.replace('"', "").replace("'", "").strip().lstrip(".").strip()
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if not dot or len(extension) > 10:
            stem, extension = name, ""
        keep = MAX_FILENAME_LENGTH - len(extension) - (1 if extension else 0)
        name = stem[:keep].rstrip() + (f".{extension}" if extension else "")
    return name or FALLBACK_STEM


def ascii_filename(name: str) -> str:
    """An ASCII stand-in for a safe name (accents dropped, other characters as "_") for
    clients that ignore `filename*`; keeps the extension."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = _ASCII_UNSAFE.sub("_", text).strip(" _")
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    stem = stem.strip(" _.") or FALLBACK_STEM
    return f"{stem}.{extension}" if extension else stem


def content_disposition(disposition: str, name: str) -> str:
    """`attachment; filename="..."`, plus RFC 5987 `filename*` when the name is not ASCII."""
    fallback = ascii_filename(name)
    header = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def guess_content_type(name: str) -> str:
    content_type, encoding = mimetypes.guess_type(name, strict=False)
    if encoding:
        return COMPRESSED_TYPES.get(encoding, "application/octet-stream")
    return content_type or "application/octet-stream"


def _may_show_inline(content_type: str) -> bool:
    main = content_type.split(";")[0].strip().lower()
    return main in INLINE_TYPES or main.startswith(INLINE_PREFIXES)


def _requested_range(request: HttpRequest, size: int):
    """(first, last) byte for a single satisfiable range; "unsatisfiable"; or None to send
    the whole file (no Range, one we do not support, or one we may ignore)."""
    header = request.headers.get("Range")
    if not header or request.method not in ("GET", "HEAD"):
        return None
    # We send no validators, so an If-Range can never be shown to match: send it all (RFC 9110).
    if "If-Range" in request.headers:
        return None
    match = _RANGE.match(header)
    if not match:  # malformed, another unit, or several ranges: ignoring Range is allowed
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if size == 0:  # no byte range can be written for an empty file; send the empty body
        return None
    if not first:  # bytes=-n: the last n bytes
        suffix = int(last)
        if suffix == 0:
            return "unsatisfiable"
        return max(size - suffix, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:  # not a valid range-spec: ignore it
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


class _RangeReader:
    """Yields `length` bytes from the file's current position, then closes the file (also
    when the client goes away and the server closes the response early)."""

    def __init__(self, file: File, length: int):
        self.file = file
        self.remaining = length

    def __iter__(self):
        while self.remaining > 0:
            chunk = self.file.read(min(CHUNK_SIZE, self.remaining))
            if not chunk:
                break
            self.remaining -= len(chunk)
            yield chunk

    def close(self):
        self.file.close()
