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
