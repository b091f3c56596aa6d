"""The one rule for "go back to" addresses (`next`): a path on this site, or a default.

Every page that reads a `next` (a form's hidden field or a query string) asks here before it
redirects. Only a local path is followed: it starts with a single `/` (not `//` nor `/\\`,
which browsers read as another host), names no scheme or host, holds no backslash, control
character or other unprintable character, and is at most `MAX_LENGTH` characters long.
Anything else (another site, `javascript:`, a bare word such as `dashboard` that `redirect()`
would try as a view name, `25:61`, a date) gives the caller's default.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

# Far beyond any address the site builds (a filtered list with its query string), well below
# what a browser or a proxy refuses.
MAX_LENGTH = 2000


def is_local_path(value: object) -> bool:
    """Whether `value` is a string that is a path on this site, by the rule above."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_LENGTH:
        return False
    if not value.startswith("/") or value.startswith("//"):
        return False
    if "\\" in value or not value.isprintable():
        return False
    # No host at all is allowed, so only scheme-less, host-less addresses pass.
    return url_has_allowed_host_and_scheme(value, allowed_hosts=None)


def local_path(value: object, *, default: str) -> str:
    """`value` when it is a local path, otherwise `default` (which the caller vouches for)."""
    return value if is_local_path(value) else default


def back_to(request, *, default: str, field: str = "next") -> str:
    """Where a request asks to go back to (its posted `next`, else the query string's), when
    that is a local path; otherwise `default`."""
    value = request.POST.get(field) or request.GET.get(field) or ""
    return local_path(value, default=default)
