"""Private files: a storage with no public URL, and the one response that hands a file out.

Callers check who asks before calling `protected_download`; nothing here decides access.
"""

from __future__ import annotations

import mimetypes

from django.core.files.storage import Storage, storages
from django.http import FileResponse


def private_storage() -> Storage:
    """The "private" storage: outside MEDIA_ROOT, never served by a public URL."""
    return storages["private"]


def protected_download(request, *, file, filename: str, content_type=None, inline=False):
    """Stream `file` to a person already allowed to have it: a safe filename, no sniffing."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    file.open("rb")
    response = FileResponse(
        file, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
