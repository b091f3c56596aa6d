"""Parsing what the browser sends: the autosave body, the coach's score form and the
applicant's self-rating form."""

from __future__ import annotations

from django import forms

from practice.models import MAX_ANSWER_CHARS, Competency
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
    """A 1–4 rating, a comment and the competencies the answer showed, for each scenario of an
    attempt. The competencies offered are the active ones, and any a scenario already has."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.competencies = list(Competency.objects.active())
        for row in rows:
            tagged = list(row.competencies.all())
            offered = self.competencies + [c for c in tagged if not c.active]
            self.fields[f"competencies-{row.position}"] = forms.MultipleChoiceField(
                label=f"Competencies the answer to {row.position}. {row.title} showed",
                choices=[(str(c.pk), c.name) for c in offered],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[str(c.pk) for c in tagged],
            )
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

    def tags(self) -> dict[int, list[int]]:
        """The ids of the competencies ticked for each scenario position."""
        return {
            row.position: [
                int(pk) for pk in self.cleaned_data.get(f"competencies-{row.position}", [])
            ]
            for row in self.rows
        }

    def pairs(self):
        """(row, score field, comment field, competencies field) for the template."""
        return [
            (
                row,
                self[f"score-{row.position}"],
                self[f"comment-{row.position}"],
                self[f"competencies-{row.position}"],
            )
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
