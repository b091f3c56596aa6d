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


def stylesheet_rules():
    """(selector or at-rule prelude, declarations) for every rule, media blocks flattened."""
    css = re.sub(r"/\*.*?\*/", "", SOURCES[0].read_text(encoding="utf-8"), flags=re.DOTALL)
    css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)\s*\}", r"\1", css)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|"
    r"(?<![\w-])(?:white|black|red|green|blue|gray|grey|silver|orange|yellow|purple|navy|teal)(?![\w-])"
)


def test_colours_are_custom_properties_defined_only_in_root():
    written_out = [
        f"{selector} {{{declaration.strip()}}}"
        for selector, body in stylesheet_rules()
        if selector != ":root"
        for declaration in body.split(";")
        if ":" in declaration and COLOUR.search(declaration.split(":", 1)[1])
    ]
    assert written_out == []


def test_media_queries_are_mobile_first():
    css = re.sub(r"/\*.*?\*/", "", SOURCES[0].read_text(encoding="utf-8"), flags=re.DOTALL)
    queries = re.findall(r"@media([^{]*)\{", css)
    assert queries
    assert [query for query in queries if "max-width" in query or "<" in query] == []


def test_every_class_in_the_stylesheet_is_documented_in_the_design_system():
    documented = set(
        re.findall(r"\.([a-z][\w-]*)", (ROOT / "docs" / "design-system.md").read_text())
    )
    styled = {
        name
        for selector, _ in stylesheet_rules()
        if not selector.startswith("@")
        for name in re.findall(r"\.([a-zA-Z][\w-]*)", selector)
    }
    assert sorted(styled - documented) == []
