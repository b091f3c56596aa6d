"""Which responses may be cached whole for anonymous visitors: the view says so, explicitly.

A view (or a Wagtail page's `serve`) marks its response with `mark_public` or the
`public_page` decorator when what it renders for an anonymous visitor is the same for every
anonymous visitor and carries nothing that changes by the minute. The shared cache itself
(`medpath.page_cache`, in site/) still refuses anything personal: a logged-in user, a response
that sets a cookie (a CSRF token, messages), carries `private`/`no-store`, or is not a 200.
Unmarked responses are never cached, so a new page is fresh until someone decides otherwise.
"""

from functools import wraps

PUBLIC_ATTRIBUTE = "medpath_public_page"


def mark_public(response):
    """Let the whole-page cache keep this response for anonymous visitors."""
    setattr(response, PUBLIC_ATTRIBUTE, True)
    return response


def is_marked_public(response) -> bool:
    return getattr(response, PUBLIC_ATTRIBUTE, False) is True


def public_page(view):
    """Decorator for views whose anonymous rendering is the same for everyone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_public(view(request, *args, **kwargs))

    return wrapper


# The main content's variant that anonymous visitors share (templates/base.html's
# `cached_content`, kept by the site's cache under the content generation).
ANONYMOUS = "anonymous"


def shared_content_variant(request) -> str | None:
    """Which rendering of a page's main content this request shares with other requests for
    the same address, or None to render it afresh: anonymous visitors all see the same one
    (a logged-in user's Buy forms carry their own CSRF token); previews show drafts."""
    user = getattr(request, "user", None)
    if getattr(request, "is_preview", False) or user is None or user.is_authenticated:
        return None
    return ANONYMOUS
