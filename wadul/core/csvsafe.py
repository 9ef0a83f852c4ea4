"""The one CSV writer for every export: cells that a spreadsheet would run as a formula are
neutralised.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets (OWASP "CSV injection"); a citizen's report could
then run `=HYPERLINK(…)` on an official's computer. Such cells get a leading apostrophe, which
spreadsheets show as text. Numbers stay numbers (a negative latitude is not text).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict[str, Any]], fields: list[str]) -> Iterator[str]:
    """The header and each row as CSV text, with a BOM so spreadsheets read UTF-8."""
    writer = csv.DictWriter(_Echo(), fieldnames=fields, extrasaction="ignore")
    yield "\ufeff"
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow({key: safe_cell(value) for key, value in row.items()})
