"""CSV exports that a spreadsheet cannot be tricked into running.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is read
as a formula by Excel, LibreOffice and Google Sheets; a name such as `=HYPERLINK(...)` typed
at sign-up would run on a staff member's machine. Such text gets a leading apostrophe, which
spreadsheets show as plain text. Numbers stay numbers.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
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
