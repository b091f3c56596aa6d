"""CSV exports that a spreadsheet cannot be tricked into running.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is read
as a formula by Excel, LibreOffice and Google Sheets; a name such as `=HYPERLINK(...)` typed
at sign-up would run on a staff member's machine when they open an export (CSV injection).
Such text gets a leading apostrophe, which spreadsheets show as plain text. Numbers stay
numbers. Every CSV the site writes goes through `csv_safe`: Wagtail's listing exports through
`SafeCsvExportMixin`, hand-made exports through `csv_response`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from core.files import content_disposition, safe_filename

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """The value as a spreadsheet should read it: formula-looking text made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeCsvExportMixin:
    """For Wagtail index views with `list_export`: every CSV cell passes through `csv_safe`.
    (Wagtail's XLSX export already stores formula-looking text as text.)"""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_safe(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download (UTF-8 with a BOM so Excel reads accents) with every cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition("attachment", safe_filename(filename))
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else csv_safe(cell) for cell in row])
    return response
