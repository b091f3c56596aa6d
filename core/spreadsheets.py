"""CSV exports that staff open in a spreadsheet: cells that would run as formulas are escaped.

A name such as `=HYPERLINK("http://evil")` or `+1+cmd|' /C calc'!A0` typed by a member would
otherwise be evaluated by Excel or LibreOffice when staff open the export (CSV injection,
OWASP). Every text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
leading apostrophe, which spreadsheets show as text and do not evaluate.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from core.files import content_disposition, safe_filename

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text a spreadsheet will not run; None becomes an empty cell."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download (UTF-8 with a BOM so Excel reads accents) with every cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition("attachment", safe_filename(filename))
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
