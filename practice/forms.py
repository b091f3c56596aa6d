"""Parsing what the browser sends: the autosave body, the coach's score form and the
applicant's self-rating form."""

from __future__ import annotations

from django import forms

from practice.models import MAX_ANSWER_CHARS
from practice.services import MAX_COMMENT_CHARS

SCORE_CHOICES = [
    ("1", "1: Needs work"),
    ("2", "2: Developing"),
    ("3", "3: Competent"),
    ("4", "4: Strong"),
]
MAX_POSITION = 100
MAX_QUESTIONS = 10


class AnswerPayload:
    """The autosave JSON: {"position": int, "index": int, "text": str, "version": int}."""

    @staticmethod
    def parse(data) -> dict:
        if not isinstance(data, dict):
            raise ValueError("Send an object with position, index, text and version.")
        parsed = {}
        for key, upper in (
            ("position", MAX_POSITION),
            ("index", MAX_QUESTIONS),
            ("version", 2**31 - 1),
        ):
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= upper:
                raise ValueError(f"{key} must be a whole number from 0 to {upper}.")
            parsed[key] = value
        text = data.get("text")
        if not isinstance(text, str):
            raise ValueError("text must be a string.")
        if len(text) > MAX_ANSWER_CHARS:
            raise ValueError(f"An answer can be at most {MAX_ANSWER_CHARS} characters.")
        parsed["text"] = text.replace("\r\n", "\n")
        return parsed


class ScoreForm(forms.Form):
    """A 1–4 rating and a comment for each scenario of an attempt."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"score-{row.position}"] = forms.ChoiceField(
                label=f"Score for {row.position}. {row.title}",
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=str(row.score) if row.score else None,
            )
            self.fields[f"comment-{row.position}"] = forms.CharField(
                label=f"Comment on {row.position}. {row.title}",
                max_length=MAX_COMMENT_CHARS,
                required=False,
                initial=row.comment,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            row.position: (
                int(data[f"score-{row.position}"]) if data.get(f"score-{row.position}") else None,
                data.get(f"comment-{row.position}", ""),
            )
            for row in self.rows
        }

    def pairs(self):
        """(row, score field, comment field) for the template."""
        return [
            (row, self[f"score-{row.position}"], self[f"comment-{row.position}"])
            for row in self.rows
        ]


class SelfRatingForm(forms.Form):
    """The applicant's own 1–4 rating of each scenario ("Not rated" clears one)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"self-{row.position}"] = forms.ChoiceField(
                label=f"{row.position}. {row.title}",
                choices=[("", "Not rated"), *SCORE_CHOICES],
                required=False,
                initial=str(row.self_rating) if row.self_rating else "",
            )

    def ratings(self) -> dict[int, int | None]:
        data = self.cleaned_data
        return {
            row.position: int(data[f"self-{row.position}"])
            if data.get(f"self-{row.position}")
            else None
            for row in self.rows
        }
