"""Forms: sending documents, asking for a revision, the reviewer's answer.

Files are checked by their content (`core.uploads`) while the form validates, so a bad file
is a form error before anything is stored or any credit is spent. Pasted text keeps its line
breaks (CRLF from browsers becomes LF) and may not contain NUL bytes (Django's validator).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from coaching.models import Service, ServiceKind
from core.uploads import (
    ACCEPT_ATTRIBUTE,
    ACCEPTED_LABEL,
    MAX_FILES,
    UploadRejected,
    check_uploads,
)
from reviews.models import MAX_BRIEF_CHARS, MAX_SUMMARY_CHARS, MAX_TEXT_CHARS

FILES_HELP = f"Up to {MAX_FILES} files, 10 MB each: {ACCEPTED_LABEL}."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Zero to five uploads, each checked by its content; cleans to `CheckedFile`s."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", FILES_HELP)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": ACCEPT_ATTRIBUTE})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        try:
            return check_uploads(uploads)
        except UploadRejected as error:
            raise ValidationError(error.message, code=error.code) from error


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TextField(forms.CharField):
    """Pasted documents: line breaks and indentation kept."""

    def __init__(self, *, max_length: int, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return _normalise(super().to_python(value))


def _counted(rows: int, max_length: int) -> forms.Textarea:
    """A textarea the counter script (reviews/static/reviews/count.js) counts live."""
    return forms.Textarea(attrs={"rows": rows, "data-count": "", "maxlength": max_length})


class SubmitForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        label="Which review",
    )
    text = TextField(
        max_length=MAX_TEXT_CHARS,
        label="Paste your text",
        help_text="ABS entries, a personal letter, a CV section: whatever you want edited. "
        "Optional if you attach files.",
        widget=_counted(14, MAX_TEXT_CHARS),
    )
    files = DocumentsField(label="Attach files")
    brief = forms.CharField(
        max_length=MAX_BRIEF_CHARS,
        required=False,
        label="Your brief",
        help_text="Target schools or programs, your deadline, and what the reviewer should focus on.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.active().filter(kind=ServiceKind.REVIEW)

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("files"):
            raise ValidationError("Paste your text or attach at least one file.")
        return data


class RevisionForm(forms.Form):
    text = TextField(
        max_length=MAX_TEXT_CHARS,
        label="Your new version",
        help_text="Start from the reviewer's suggestion or paste your own.",
        widget=_counted(12, MAX_TEXT_CHARS),
    )
    files = DocumentsField(label="New files")
    note = forms.CharField(
        max_length=MAX_BRIEF_CHARS,
        required=False,
        label="What should the reviewer look at?",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        empty = not any(
            [(data.get("text") or "").strip(), data.get("files"), (data.get("note") or "").strip()]
        )
        if not self.errors and empty:
            raise ValidationError(
                "Paste your new version, attach files, or say what the reviewer should look at."
            )
        return data


class ReturnForm(forms.Form):
    DRAFT, RETURN = "draft", "return"

    summary = forms.CharField(
        max_length=MAX_SUMMARY_CHARS,
        required=False,
        label="Your summary",
        help_text="Blank lines start new paragraphs; links are made clickable.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    suggested_text = TextField(
        max_length=MAX_TEXT_CHARS,
        label="Suggested version of the pasted text",
        help_text="Edit the applicant's text; they see your changes word by word.",
        widget=_counted(14, MAX_TEXT_CHARS),
    )
    files = DocumentsField(
        label="Returned files", help_text="Track-changes DOCX or annotated PDF. " + FILES_HELP
    )
    action = forms.ChoiceField(choices=[(DRAFT, "Save draft"), (RETURN, "Return")])
