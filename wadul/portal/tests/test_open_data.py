"""CSV/JSON downloads of published cases and the Atom feed of published answers."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Via
from wadul.portal import opendata
from wadul.portal import services as portal_services
from wadul.portal.masking import NAME, PHONE
from wadul.portal.opendata import CASE_FIELDS

ATOM = "{http://www.w3.org/2005/Atom}"


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_cases_csv_is_masked_and_has_the_documented_columns(client, published_case, unit_a):
    hidden = testing.create_case(unit=unit_a, visibility="private", text="rahasia privat sekali")
    response = client.get("/data/kasus.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = _body(response).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CASE_FIELDS
    assert [r["tracking_number"] for r in rows] == [published_case.tracking_number]
    row = rows[0]
    assert PHONE in row["description"] and NAME in row["description"]
    assert "3456" not in text and "Rahayu" not in text and hidden.tracking_number not in text
    assert row["desa"] == "Kemiren" and row["kecamatan"] == "Glagah"
    assert row["latitude"] == "-8.201" and row["longitude"] == "114.322"  # rounded


def test_cases_json_streams_records_with_metadata(client, published_case):
    body = json.loads(_body(client.get("/data/kasus.json")))
    assert body["meta"]["licence"] == "CC BY 4.0"
    [record] = body["data"]
    assert list(record) == CASE_FIELDS and record["status"] == "answered"
    assert "Siti" not in json.dumps(body)


def test_downloads_take_the_list_filters(client, published_case, unit_b):
    testing.create_case(unit=unit_b, text="Puskesmas tutup lebih awal")
    body = json.loads(_body(client.get("/data/kasus.json", {"unit": "DINKES"})))
    assert [r["unit_code"] for r in body["data"]] == ["DINKES"]


def test_downloads_page_across_chunks(client, unit_a, monkeypatch):
    monkeypatch.setattr(opendata, "CHUNK", 2)
    cases = [testing.create_case(unit=unit_a, text=f"Laporan ke {i} soal jalan") for i in range(5)]
    body = json.loads(_body(client.get("/data/kasus.json")))
    assert sorted(r["tracking_number"] for r in body["data"]) == sorted(
        c.tracking_number for c in cases
    )


def test_atom_feed_lists_published_answers_masked(client, published_case, operator):
    response = client.get("/data/jawaban.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own response)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert published_case.tracking_number in entry.findtext(f"{ATOM}title")
    link = entry.find(f"{ATOM}link").get("href")
    path, anchor = link.split("#")
    assert f'id="{anchor}"' in client.get(path.removeprefix("http://testserver")).content.decode()
    summary = entry.findtext(f"{ATOM}summary")
    assert "penambalan" in summary and "421234" not in summary and "Siti" not in summary
    assert "Catatan internal" not in response.content.decode()
    answer = published_case.messages.get(direction="outbound")
    portal_services.keep_answer_private(answer, actor=operator)
    feed = ET.fromstring(client.get("/data/jawaban.atom").content)  # noqa: S314
    assert feed.findall(f"{ATOM}entry") == []


def test_unpublished_cases_answers_are_not_in_the_feed(client, unit_a, official_a):
    case = testing.create_case(unit=unit_a, visibility="confidential")
    services.answer(case, text="jawaban rahasia", actor=official_a, via=Via.INBOX)
    assert b"jawaban rahasia" not in client.get("/data/jawaban.atom").content


def test_open_data_and_publication_pages_answer(client, db):
    assert client.get("/data/").status_code == 200
    page = client.get("/data/cara-publikasi/").content.decode()
    assert "NIK" in page


def test_open_data_times_are_iso_8601_in_wib(client, published_case):
    [record] = json.loads(_body(client.get("/data/kasus.json")))["data"]
    assert record["created_at"].endswith("+07:00") and "." not in record["created_at"]
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/data/kasus.csv")).lstrip("\ufeff"))))
    assert rows[0]["created_at"] == record["created_at"]
