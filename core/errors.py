"""The base of every domain error: a message fit for the user and a machine-readable code.

Views turn these into form errors, messages or 4xx JSON bodies (`{"code": ..., "detail": ...}`);
the text is written for the person who made the request, never a traceback.
"""

from contextlib import contextmanager


class DomainError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self):
        return self.message


@contextmanager
def errors_shown_on(form):
    """A `DomainError` raised inside the block becomes an error on the whole `form`, and is
    not raised further: the code after the block shows the form again with the message."""
    try:
        yield
    except DomainError as error:
        form.add_error(None, error.message)
