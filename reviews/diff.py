"""A word-level comparison of the applicant's text and the reviewer's suggested version.

`word_diff` splits both texts into words, spaces and punctuation, lets `difflib` find what was
kept, deleted and inserted, and returns runs of (operation, text). The template renders them
as `<del>`/`<ins>` with visually hidden "deleted"/"inserted" labels for screen readers;
Django's autoescaping keeps the applicant's text as text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Segment:
    op: str  # equal | insert | delete
    text: str

    @property
    def is_equal(self) -> bool:
        return self.op == EQUAL

    @property
    def is_insert(self) -> bool:
        return self.op == INSERT

    @property
    def is_delete(self) -> bool:
        return self.op == DELETE


@dataclass(frozen=True)
class DiffSummary:
    segments: list[Segment]
    inserted_words: int
    deleted_words: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted_words or self.deleted_words)


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _words(parts: list[str]) -> int:
    return sum(1 for part in parts if not part.isspace())


def word_diff(before: str, after: str) -> DiffSummary:
    """Runs of kept, deleted and inserted text turning `before` into `after`."""
    old, new = tokens(before), tokens(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[Segment] = []
    inserted = deleted = 0

    def add(op: str, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(EQUAL, old[i1:i2])
            continue
        if tag in ("delete", "replace"):
            add(DELETE, old[i1:i2])
            deleted += _words(old[i1:i2])
        if tag in ("insert", "replace"):
            add(INSERT, new[j1:j2])
            inserted += _words(new[j1:j2])
    return DiffSummary(segments=segments, inserted_words=inserted, deleted_words=deleted)


def word_count(text: str) -> int:
    """Words as a person counts them (the same rule as the live counter in the form)."""
    return len(text.split())
