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
  that are hidden or `visually-hidden`, badges (short labels such as "MMI station"), and
  anything inside `data-no-jargon`;
- words that are not the page's own prose are never rewritten: headings (`h1`–`h6`, a
  page's `<header>`), quoted text (`blockquote`, `q`) and text people typed (booking notes,
  briefs, answers: rendered with the `user_text` filter, which marks them `data-no-jargon`).
  The first use in the body text after them is the one explained.

The glossary page (`/glossary/`, a guidance page editors can change) defines each term at
length under a heading whose anchor is `Term.anchor`.
"""

from __future__ import annotations

import bisect
import functools
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
# Starting with the spellings themselves lets the regex engine skip ahead to their first
# letters; "not inside a word" before the term is checked in Python (`_starts_a_word`).
_TERM_RE = re.compile(
    r"(?P<term>"
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

# Elements whose content is not prose a reader sees: skipped whole. The first six hold raw
# text (a "<p>" in a script is not a tag), so their end is the first matching end tag.
_RAW_TEXT = ("script", "style", "textarea", "title", "template", "noscript")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6", "header")
_QUOTES = ("blockquote", "q")
_SKIPPED = (
    *_RAW_TEXT, "code", "pre", "kbd", "samp", "svg", "math", "select", "button", "nav",
    *_HEADINGS, *_QUOTES,
)  # fmt: skip
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
# Django's and Wagtail's markup is lower case; matching case lets the engine skip ahead.
_SKIPPED_START_RE = re.compile(rf"<(?P<name>{'|'.join(_SKIPPED)})(?=[\s/>])[^>]*>")
# Hidden elements: found by these words, then checked as a whole start tag.
_HIDING_WORDS = ("hidden", "data-no-jargon", "badge")
_HIDING_START_RE = re.compile(
    r"<(?P<name>[a-zA-Z][\w-]*)(?=\s)[^>]*?"
    r"""(?:\shidden(?=[\s=/>])|\sdata-no-jargon(?=[\s=/>])|aria-hidden\s*=\s*["']?true"""
    r"""|class\s*=\s*["'][^"'>]*(?<![\w-])(?:visually-hidden|badge)(?![\w-]))[^>]*>""",
)
_TAG_RE = re.compile(r"<[^>]*>")


@functools.cache
def _same_name_tags(name: str) -> re.Pattern:
    return re.compile(rf"<(/?){name}(?=[\s/>])[^>]*>")


def _element_end(markup: str, name: str, start_tag: re.Match) -> int:
    """Where the element opened by `start_tag` ends (nested elements of its name counted)."""
    if start_tag.group(0).endswith("/>") or name in _VOID:
        return start_tag.end()
    depth = 1
    for tag in _same_name_tags(name).finditer(markup, start_tag.end()):
        if tag.group(1):
            depth -= 1
            if depth == 0 or name in _RAW_TEXT:
                return tag.end()
        elif name not in _RAW_TEXT and not tag.group(0).endswith("/>"):
            depth += 1
    return len(markup)


def _occurrences(markup: str, words: tuple[str, ...]):
    for word in words:
        position = markup.find(word)
        while position >= 0:
            yield position
            position = markup.find(word, position + 1)


def _skipped_spans(markup: str) -> list[tuple[int, int]]:
    """(start, end) of every element whose text is skipped, outermost only, in order."""
    start_tags = {tag.start(): tag for tag in _SKIPPED_START_RE.finditer(markup)}
    for word_start in _occurrences(markup, _HIDING_WORDS):
        tag_start = markup.rfind("<", 0, word_start)
        if tag_start in start_tags or markup.rfind(">", 0, word_start) > tag_start:
            continue
        tag = _HIDING_START_RE.match(markup, tag_start)
        if tag is not None:
            start_tags[tag_start] = tag
    spans: list[tuple[int, int]] = []
    for tag_start in sorted(start_tags):
        if spans and tag_start < spans[-1][1]:
            continue
        tag = start_tags[tag_start]
        spans.append((tag_start, _element_end(markup, tag.group("name").lower(), tag)))
    return spans


def _is_skipped(position: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and position < spans[index][1]


def _starts_a_word(markup: str, position: int) -> bool:
    """Not the middle of a word ("NABS"), of a joined one ("GST/HST", "pre-MMI") or of a
    character reference."""
    if position == 0:
        return True
    before = markup[position - 1]
    return not (before.isalnum() or before in "_&#-/")


def _plain(markup: str) -> str:
    return html.unescape(_TAG_RE.sub(" ", markup))


def _normalise(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("\u2011", " ").lower().split())


def _already_explained(term: Term, markup: str, start: int, end: int) -> bool:
    """Is one of the term's meanings written within NEAR characters of text of its use?"""
    before = _plain(markup[max(0, start - 8 * NEAR) : start])
    after = _plain(markup[end : end + 8 * NEAR])
    window = _normalise(before[-NEAR:] + " " + markup[start:end] + " " + after[:NEAR])
    return any(explanation in window for explanation in term.explanations())


def explain_first_uses(markup: str) -> str:
    """`markup` with a bracketed explanation after the first visible use of each term."""
    candidates = list(_TERM_RE.finditer(markup))
    if not candidates:
        return markup
    spans = _skipped_spans(markup)
    starts = [start for start, _ in spans]
    seen: set[str] = set()
    # offset in markup -> notes to insert there, in reading order
    notes: dict[int, list[tuple[Term, re.Match, bool]]] = {}
    for match in candidates:
        term = _BY_SPELLING[match.group("term")]
        if (
            term.term in seen
            or not _starts_a_word(markup, match.start())
            or _is_skipped(match.start(), spans, starts)
        ):
            continue
        text_start = markup.rfind(">", 0, match.start()) + 1
        if markup.rfind("<", 0, match.start()) >= text_start:
            continue  # inside a tag (an attribute value) or a comment
        seen.add(term.term)
        if _already_explained(term, markup, match.start(), match.end()):
            continue
        text_end = markup.find("<", match.end())
        text = markup[match.start() : len(markup) if text_end < 0 else text_end]
        insert_at, adjacent = _note_position(text, match)
        notes.setdefault(match.start() + insert_at, []).append((term, match, adjacent))
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
    """Where the note goes in `text` (the run of text from the term on), and whether it
    directly follows the term."""
    after_term = match.end() - match.start()
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
