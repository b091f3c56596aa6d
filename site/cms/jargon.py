"""Jargon explained where it first appears on a page.

Applicants new to Canadian admissions meet ABS, CaRMS, MMI and friends on every page. The
`{% explain_jargon %}` block (templates/base.html wraps each page's main content in it) runs
`explain_first_uses` over the rendered HTML: the first visible use of each term in `TERMS`
gets a short note in brackets, e.g. "Mock interview: panel and MPI (modified personal
interview)" or "ABS strategy session (ABS: autobiographical sketch)". The note is visible
text, not a hover-only tooltip, so it works on phones and for screen readers alike.

Rules, so the result reads well and nothing else breaks:
- the words already on the page are never changed: the note is inserted after the term when
  the term ends a phrase, otherwise at the end of the phrase (before the next comma, full
  stop, semicolon or the end of the text), naming the term it explains;
- a term whose expansion is already written near its first use ("international medical
  graduates (IMGs)", "CaRMS, the Canadian Resident Matching Service") is left alone;
- text a reader does not see or that is not prose is skipped: scripts, styles, code, form
  controls and their options, buttons, navigation (breadcrumbs, "On this page"), elements
  that are hidden or `visually-hidden`, and anything inside `data-no-jargon`.

The glossary page (`/glossary/`, a guidance page editors can change) defines each term at
length under a heading whose anchor is `Term.anchor`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.utils.html import escape


@dataclass(frozen=True)
class Term:
    """A piece of jargon: how it is written, and what it means in a few words."""

    term: str
    expansion: str
    plural_expansion: str = ""
    # Other spellings of the term itself (case matters: "Casper" but not "casper").
    variants: tuple[str, ...] = ()
    # Other wordings that, written near the term, already explain it.
    explained_by: tuple[str, ...] = field(default=())

    @property
    def anchor(self) -> str:
        """The id of the term's heading on the glossary page."""
        from medpath.cms.blocks import heading_anchor  # blocks import the catalogue's blocks

        return heading_anchor(self.term)

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.variants)

    def explanations(self) -> tuple[str, ...]:
        return tuple(
            _normalise(text)
            for text in (self.expansion, self.plural_expansion, *self.explained_by)
            if text
        )


TERMS: tuple[Term, ...] = (
    Term("ABS", "autobiographical sketch", "autobiographical sketches"),
    Term("CaRMS", "Canadian Resident Matching Service", variants=("CARMS",)),
    Term(
        "CASPer",
        "online situational-judgement test",
        "online situational-judgement tests",
        variants=("Casper", "CASPER"),
        explained_by=("situational judgement test", "situational judgment test"),
    ),
    Term("CEHPEA", "Centre for the Evaluation of Health Professionals Educated Abroad"),
    Term("CPSO", "College of Physicians and Surgeons of Ontario"),
    Term("HST", "harmonized sales tax", explained_by=("harmonised sales tax",)),
    Term("IMG", "international medical graduate", "international medical graduates"),
    Term("MMI", "multiple mini interview", "multiple mini interviews"),
    Term("MPI", "modified personal interview", "modified personal interviews"),
    Term("OMSAS", "Ontario Medical School Application Service"),
    Term("PRA", "practice-ready assessment", "practice-ready assessments"),
    Term("ROS", "return of service"),
)

_BY_SPELLING = {spelling: term for term in TERMS for spelling in term.spellings}

# A term as a whole word, optionally plural ("IMGs"), optionally the start of a compound
# ("CASPer-style"): the note then follows the whole compound.
_TERM_RE = re.compile(
    r"(?<![\w&#-])(?P<term>"
    + "|".join(sorted((re.escape(s) for s in _BY_SPELLING), key=len, reverse=True))
    + r")(?P<plural>s)?(?P<compound>-[\w-]*\w)?(?!\w)"
)
# Where a phrase ends: punctuation followed by a space or the end, a spaced dash or dot, an
# opening bracket, a word that joins phrases ("CASPer preparation and mock interviews").
# Character references ("&amp;") are matched only to be stepped over.
_PHRASE_END_RE = re.compile(
    r"(?P<entity>&#?\w+;)|[,;:.!?](?=\s|$)|\s[·–—|/]\s|\s\("
    r"|\s(?:and|or|but|plus|with|for|from|to|who|which|that|where|when)\s"
)

# How near (in characters of text, either side) an expansion must be to count as explaining.
NEAR = 100

_TAG_RE = re.compile(
    r"<!--.*?-->|<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)"
    r"(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
# Their content is not markup: skip to the matching end tag.
_RAW_TEXT = {"script", "style", "textarea", "title", "template", "noscript"}
# Their content is markup a reader does not see as prose: skip the whole element.
_SKIPPED = {"code", "pre", "kbd", "samp", "svg", "math", "select", "button", "nav", "head"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
_HIDDEN_ATTRS_RE = re.compile(
    r"""(?:^|\s)(?:hidden|data-no-jargon)(?=[\s=/]|$)"""
    r"""|aria-hidden\s*=\s*["']?true"""
    r"""|class\s*=\s*["'][^"']*\bvisually-hidden\b""",
    re.I,
)


@dataclass
class _Segment:
    start: int  # offset of the text in the HTML
    text: str  # the raw (still escaped) text
    flat_start: int  # offset of its unescaped text in the page's flat text


def _normalise(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("\u2011", " ").lower().split())


def _text_segments(markup: str) -> list[_Segment]:
    """The visible prose of `markup`, as runs of text between tags, with their offsets."""
    segments: list[_Segment] = []
    position = 0
    flat_length = 0
    skip_name, skip_depth = "", 0
    while position < len(markup):
        match = _TAG_RE.search(markup, position)
        end = match.start() if match else len(markup)
        if end > position and not skip_name:
            text = markup[position:end]
            if text.strip():
                segments.append(_Segment(position, text, flat_length))
                flat_length += len(html.unescape(text)) + 1
        if match is None:
            break
        position = match.end()
        name = (match.group("name") or "").lower()
        if not name:  # a comment
            continue
        closing = bool(match.group("close"))
        self_closing = match.group("attrs").rstrip().endswith("/")
        if not closing and name in _RAW_TEXT:
            end_tag = re.compile(rf"</{name}\s*>", re.I).search(markup, position)
            position = end_tag.end() if end_tag else len(markup)
            continue
        if skip_name:
            if name == skip_name and not self_closing:
                skip_depth += -1 if closing else 1
                if skip_depth == 0:
                    skip_name = ""
            continue
        if closing or self_closing or name in _VOID:
            continue
        if name in _SKIPPED or _HIDDEN_ATTRS_RE.search(match.group("attrs")):
            skip_name, skip_depth = name, 1
    return segments


def _flat_text(segments: list[_Segment]) -> str:
    return " ".join(html.unescape(segment.text) for segment in segments)


def _already_explained(term: Term, flat: str, flat_position: int) -> bool:
    window = _normalise(flat[max(0, flat_position - NEAR) : flat_position + NEAR])
    return any(explanation in window for explanation in term.explanations())


def explain_first_uses(markup: str) -> str:
    """`markup` with a bracketed explanation after the first visible use of each term."""
    if not _TERM_RE.search(markup):
        return markup
    segments = _text_segments(markup)
    flat = _flat_text(segments)
    seen: set[str] = set()
    # offset in markup -> notes to insert there, in reading order
    notes: dict[int, list[tuple[Term, re.Match, bool]]] = {}
    for segment in segments:
        for match in _TERM_RE.finditer(segment.text):
            term = _BY_SPELLING[match.group("term")]
            if term.term in seen:
                continue
            seen.add(term.term)
            unescaped_offset = len(html.unescape(segment.text[: match.start()]))
            if _already_explained(term, flat, segment.flat_start + unescaped_offset):
                continue
            insert_at, adjacent = _note_position(segment.text, match)
            notes.setdefault(segment.start + insert_at, []).append((term, match, adjacent))
        if len(seen) == len(TERMS):
            break
    if not notes:
        return markup
    pieces = []
    previous = 0
    for offset in sorted(notes):
        pieces.append(markup[previous:offset])
        pieces.append(_note_html(notes[offset]))
        previous = offset
    pieces.append(markup[previous:])
    return "".join(pieces)


def _note_position(text: str, match: re.Match) -> tuple[int, bool]:
    """Where the note goes in a run of text, and whether it directly follows the term."""
    after_term = match.end()
    phrase_end = next(
        (end for end in _PHRASE_END_RE.finditer(text, after_term) if not end.group("entity")),
        None,
    )
    position = phrase_end.start() if phrase_end else len(text.rstrip())
    if position <= after_term or not text[after_term:position].strip():
        # "CASPer-style": the note names the term, as it does not follow the bare term.
        return after_term, not match.group("compound")
    return position, False


def _note_html(notes: list[tuple[Term, re.Match, bool]]) -> str:
    parts = []
    for term, match, adjacent in notes:
        plural = bool(match.group("plural"))
        meaning = (term.plural_expansion or term.expansion) if plural else term.expansion
        written = match.group("term") + (match.group("plural") or "")
        parts.append(meaning if adjacent and len(notes) == 1 else f"{written}: {meaning}")
    return f'<span class="term-note"> ({escape("; ".join(parts))})</span>'
