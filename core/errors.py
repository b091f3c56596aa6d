"""The base of every domain error: a message fit for the user and a machine-readable code.

Views turn these into form errors, messages or 4xx JSON bodies (`{"code": ..., "detail": ...}`);
the text is written for the person who made the request, never a traceback.
"""


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
