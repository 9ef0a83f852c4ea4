"""The "layanan desa" statistics and open data: counts, median working hours and on-time
share per desa and kecamatan, without personal data."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from wadul.cases.models import Via
from wadul.desa import services
from wadul.desa.tests.conftest import request_letter

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=WIB)


def test_service_time_per_desa_and_kecamatan(client, desa, other_desa, desa_operator, kepala_desa):
    case = request_letter(desa, at=MONDAY_9)
    request_letter(desa, at=MONDAY_9)  # still being handled
    request_letter(other_desa, at=MONDAY_9)
    letter = services.prepare(case, actor=desa_operator, via=Via.INBOX)
    services.send_for_signature(letter, actor=desa_operator, via=Via.INBOX)
    services.approve(
        letter, actor=kepala_desa, via=Via.INBOX, at=datetime(2026, 12, 7, 11, 30, tzinfo=WIB)
    )

    page = client.get("/statistik/layanan-desa/?bulan=2026-12").content.decode()
    assert "Desa Kemiren" in page and "Desa Olehsari" in page and "Kecamatan Glagah" in page
    assert "<td>2,5</td><td>100%</td>" in page  # Kemiren: 2.5 working hours, on time
    assert "Siti Rahayu" not in page and "3510015708900001" not in page

    rows = list(csv.DictReader(io.StringIO(b"".join(
        client.get("/data/layanan-desa.csv?bulan=2026-12").streaming_content
    ).decode("utf-8-sig"))))  # fmt: skip
    kemiren = next(row for row in rows if row["unit"] == "Desa Kemiren")
    assert (kemiren["requests"], kemiren["issued"], kemiren["median_hours"]) == ("2", "1", "2.5")
    assert kemiren["on_time_share"] == "1.0"
    olehsari = next(row for row in rows if row["unit"] == "Desa Olehsari")
    assert (olehsari["requests"], olehsari["issued"], olehsari["median_hours"]) == ("1", "0", "")
    assert set(rows[0]) == {
        "unit_code", "unit", "kecamatan", "requests", "issued", "median_hours", "on_time_share"
    }  # fmt: skip
