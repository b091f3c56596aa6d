"""The stylesheet parses: a stray merge marker silently voids the rule that follows it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "site" / "static" / "medpath" / "css" / "site.css",
    *sorted((ROOT / "templates").rglob("*.html")),
    *sorted((ROOT / "templates").rglob("*.txt")),
]
MARKER = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)


def test_no_merge_markers_are_left_in_styles_or_templates():
    left = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in SOURCES
        if path.exists()
        for text in [path.read_text(encoding="utf-8")]
        for match in MARKER.finditer(text)
    ]
    assert left == []


def test_stylesheet_braces_balance():
    css = re.sub(r"/\*.*?\*/", "", SOURCES[0].read_text(encoding="utf-8"), flags=re.DOTALL)
    depth = 0
    for char in css:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
