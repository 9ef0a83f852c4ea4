"""/statistik/ carries the PPID's per-OPD figures of the month's year, as
/informasi/statistik/ does, and links to the full Pasal 12 figures."""

from __future__ import annotations

import re

from django.utils import timezone

from wadul.cases.models import Via
from wadul.ppid import services
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
