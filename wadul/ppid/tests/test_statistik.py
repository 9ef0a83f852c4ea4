"""/statistik/ carries the PPID's per-OPD figures of the month's year, as
/informasi/statistik/ does, and links to the full Pasal 12 figures."""

from __future__ import annotations

import importlib
import re

from django.apps import apps
from django.utils import timezone

from wadul.cases.models import Via
from wadul.ppid import reports, services
from wadul.ppid.models import PpidRequest

from .test_intake import NIK, ask


def ppid_section(html: str) -> str:
    return re.search(r'<section class="card" id="ppid">(.*?)</section>', html, re.S).group(1)


def test_the_league_page_shows_the_ppid_figures_per_opd(
    client, pigeon, citizen, kominfo, pelaksana, ppid_utama, official_a
):
    now = timezone.localtime()
    request = PpidRequest.objects.get(case=ask(pigeon, citizen, at=now))
    request = services.forward(request, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX)
    services.decide(request, decision=PpidRequest.Decision.GRANTED, actor=official_a, via=Via.INBOX)
    ask(pigeon, citizen, at=now)  # a second request, still with the PPID Utama

    html = client.get("/statistik/").content.decode()
    section = ppid_section(html)
    row = r"<tr><td>(.*?)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>"
    cells = re.findall(row, section)
    # Per OPD, by name: requests, written notices, on time.
    assert cells == [("Dinas PU", "1", "1", "1"), ("Diskominfo", "1", "0", "0")]
    assert f"/informasi/statistik/?tahun={now.year}" in section
    assert NIK not in html and "Siti Rahayu" not in html
    # The same rows as the PPID's own page.
    own = client.get(f"/informasi/statistik/?tahun={now.year}").content.decode()
    assert all(f"<td>{unit}</td>" in own for unit, *_ in cells)


def test_a_request_with_an_objection_stays_counted_under_its_opd(
    client, pigeon, citizen, kominfo, pelaksana, setda, ppid_utama, official_a
):
    now = timezone.localtime()
    request = PpidRequest.objects.get(case=ask(pigeon, citizen, at=now))
    assert request.handling_unit == kominfo  # the PPID Utama's until forwarded
    request = services.forward(request, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX)
    request = services.decide(
        request,
        decision=PpidRequest.Decision.REFUSED,
        exemption_basis="17h",
        consequence_test="Data NIK penerima bantuan: rahasia pribadi, merugikan penerima.",
        actor=official_a,
        via=Via.INBOX,
    )
    request = services.lodge_objection(request, grounds=["a"], text="Bukan rahasia", via="web")
    request.refresh_from_db()
    assert request.case.unit == setda and request.handling_unit == pelaksana

    row = r"<tr><td>(.*?)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>"
    cells = re.findall(row, ppid_section(client.get("/statistik/").content.decode()))
    assert cells == [("Dinas PU", "1", "1", "1")]
    own = client.get(f"/informasi/statistik/?tahun={now.year}").content.decode()
    assert "<td>Dinas PU</td>" in own and "Sekretariat Daerah" not in own
    assert [r["unit"] for r in reports.open_data_rows()] == ["Dinas PU"]


def test_the_migration_fills_the_handling_opd_of_older_requests(
    pigeon, citizen, kominfo, pelaksana, setda, ppid_utama
):
    fill = importlib.import_module("wadul.ppid.migrations.0006_fill_handling_unit").fill
    objected = PpidRequest.objects.get(case=ask(pigeon, citizen))
    services.forward(objected, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX)
    # Unanswered (ground c): the move to the atasan does not change the handling OPD.
    services.lodge_objection(objected, grounds=["c"], text="Tidak dijawab", via="web")
    assert PpidRequest.objects.get(pk=objected.pk).handling_unit == pelaksana
    with_utama = PpidRequest.objects.get(case=ask(pigeon, citizen))
    PpidRequest.objects.update(handling_unit=None)
    fill(apps, None)
    assert PpidRequest.objects.get(pk=objected.pk).handling_unit == pelaksana
    assert PpidRequest.objects.get(pk=with_utama.pk).handling_unit == kominfo
