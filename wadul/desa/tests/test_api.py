"""The village letters in the REST API: a unit's catalogue and the monthly figures, with a
token and without personal data."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from wadul.api.models import ApiToken
from wadul.cases.models import Via
from wadul.desa import services
from wadul.desa.tests.conftest import request_letter

WIB = ZoneInfo("Asia/Jakarta")


def test_the_catalogue_and_the_figures(client, desa, desa_operator, kepala_desa, official_a):
    _token, key = ApiToken.issue(official_a, "dashboard")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/letter-services?unit={desa.code}").status_code == 401
    listed = client.get(f"/api/v1/letter-services?unit={desa.code}", **auth).json()
    domisili = next(s for s in listed if s["service_code"] == "domisili")
    assert domisili["fee"] == 0 and domisili["target_working_hours"] == 8
    assert {"name": "nik", "label": "NIK (16 angka di KTP)", "type": "nik"} in domisili["fields"]

    case = request_letter(desa, at=datetime(2026, 12, 7, 9, 0, tzinfo=WIB))
    letter = services.prepare(case, actor=desa_operator, via=Via.INBOX)
    services.send_for_signature(letter, actor=desa_operator, via=Via.INBOX)
    services.approve(
        letter, actor=kepala_desa, via=Via.INBOX, at=datetime(2026, 12, 7, 10, 0, tzinfo=WIB)
    )
    response = client.get("/api/v1/letter-statistics?month=2026-12", **auth)
    (row,) = response.json()
    assert (row["unit"], row["requests"], row["issued"], row["median_hours"]) == (
        "Desa Kemiren", 1, 1, 1.0,
    )  # fmt: skip
    assert "Siti" not in response.content.decode()
