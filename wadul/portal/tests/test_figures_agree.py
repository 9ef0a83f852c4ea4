"""/statistik/, /pantau/, the monthly report and its CSV/PDF show one set of figures."""

from __future__ import annotations

import csv
import io

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Via
from wadul.core import formats
from wadul.portal.stats import Period, computed_at


def _csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(body)))


def test_every_page_shows_the_same_figures_computed_at_the_same_time(
    client, unit_a, unit_b, official_a, supervisor
):
    answered = testing.create_case(unit=unit_a)
    services.answer(answered, text="Sudah kami cek", actor=official_a, via=Via.INBOX)
    testing.create_case(unit=unit_b)
    public = {r["unit_code"]: r["received"] for r in client.get("/statistik/").context["rows"]}
    # A case arriving between two page views: every page keeps the figures stored at the
    # same moment until they are refreshed, so none of them says 3 while another says 2.
    testing.create_case(unit=unit_a)
    testing.login(client, supervisor)
    dashboard = client.get("/pantau/")
    staff = {r["unit_code"]: r["received"] for r in dashboard.context["rows"]}
    report = client.get("/pantau/laporan/")
    monthly = {r["unit_code"]: r["received"] for r in report.context["rows"]}
    exported = {
        r["unit_code"]: int(r["received"]) for r in _csv_rows(client.get("/pantau/laporan.csv"))
    }
    assert public["DPU"] == staff["DPU"] == monthly["DPU"] == exported["DPU"] == 1
    assert report.context["total"]["received"] == exported["PEMKAB"] == 2
    at = computed_at(Period.parse(None))
    stamp = formats.iso_local(at)
    assert {r["computed_at"] for r in _csv_rows(client.get("/pantau/laporan.csv"))} == {stamp}
    assert dashboard.context["computed_at"] == report.context["computed_at"] == at
    for page in (dashboard, report, client.get("/statistik/")):
        assert "Dihitung pada" in page.content.decode()
    pdf = client.get("/pantau/laporan.pdf").content
    assert b"Dihitung pada" in pdf
