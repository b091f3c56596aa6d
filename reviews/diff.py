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
from itertools import zip_longest

_TOKENS = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?=\s)")
# Word-by-word comparison of one changed passage is quadratic: beyond this many token pairs
# (about 2,000 tokens a side) the passage is shown replaced whole.
MAX_WORD_PAIRS = 4_000_000
# A changed block of lines or sentences longer than this is compared unit by unit, in order.
PAIRING_CHARS = 20_000

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


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part]


# Each level splits what the one above found changed: lines, then sentences, then words.
_LEVELS = (lambda text: text.splitlines(keepends=True), _sentences, tokens)


def word_diff(before: str, after: str) -> DiffSummary:
    """Runs of kept, deleted and inserted text turning `before` into `after`.

    Compared line by line first, then sentence by sentence inside changed lines, then word by
    word inside changed sentences: each `difflib` comparison stays small, so two 50,000-character
    texts compare in well under a second. Changed blocks with as many lines (or sentences) on
    each side are compared pair by pair; a changed passage beyond `MAX_WORD_PAIRS` is shown
    replaced whole.
    """
    segments: list[Segment] = []
    counts = {"inserted": 0, "deleted": 0}

    def add(op: str, text: str) -> None:
        if not text:
            return
        if op == INSERT:
            counts["inserted"] += _words(tokens(text))
        elif op == DELETE:
            counts["deleted"] += _words(tokens(text))
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    def compare(old_text: str, new_text: str, level: int) -> None:
        split = _LEVELS[level]
        old, new = split(old_text), split(new_text)
        last = level == len(_LEVELS) - 1
        if last and len(old) * len(new) > MAX_WORD_PAIRS:
            # Too long a changed passage to compare word by word in bounded time: shown
            # replaced whole (coarser, never wrong).
            add(DELETE, old_text)
            add(INSERT, new_text)
            return
        # Spaces never anchor a match at the word level (they would match everywhere), but
        # extend matches between words.
        junk = str.isspace if last else None
        matcher = difflib.SequenceMatcher(isjunk=junk, a=old, b=new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            old_part, new_part = "".join(old[i1:i2]), "".join(new[j1:j2])
            if tag == "equal":
                add(EQUAL, old_part)
            elif tag == "replace" and not last:
                if i2 - i1 == j2 - j1 or len(old_part) + len(new_part) > PAIRING_CHARS:
                    # As many lines (sentences) on each side, or too long a passage to compare
                    # as one: pair them up in order.
                    for old_unit, new_unit in zip_longest(old[i1:i2], new[j1:j2], fillvalue=""):
                        compare(old_unit, new_unit, level + 1)
                else:
                    compare(old_part, new_part, level + 1)
            else:
                add(DELETE, old_part)
                add(INSERT, new_part)

    compare(before, after, 0)
    return DiffSummary(
        segments=segments, inserted_words=counts["inserted"], deleted_words=counts["deleted"]
    )


def word_count(text: str) -> int:
    """Words as a person counts them (the same rule as the live counter in the form)."""
    return len(text.split())
