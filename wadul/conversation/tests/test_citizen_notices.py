"""What the citizen is told: the promise (deadline, unit, escalation), the unit once triage
has chosen it, and where a pin fell."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Via
from wadul.conversation.messages import Location
from wadul.conversation.tests.channel import PigeonChannel
from wadul.routing.boundaries import import_boundaries

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_8 = datetime(2026, 12, 7, 8, 0, tzinfo=WIB)


def test_the_acknowledgement_states_the_deadline_the_unit_and_the_escalation(pigeon, citizen):
    case = pigeon.receive(citizen, "Lampu PJU mati di Rogojampi", at=MONDAY_8).case
    ack = pigeon.last().text
    assert f"Nomor laporan: *{case.tracking_number}*" in ack
    assert "ditangani oleh *Dinas PU*" in ack
    assert "paling lambat *Senin, 7 Desember 2026 pukul 10.00 WIB*" in ack
    assert "otomatis diteruskan ke pimpinan unit" in ack


def test_status_gives_the_deadline_of_the_next_step(pigeon, citizen):
    case = pigeon.receive(citizen, "Jalan berlubang di Genteng", at=MONDAY_8).case
    pigeon.receive(citizen, f"status {case.tracking_number}", at=MONDAY_8)
    assert "Batas jawaban pertama: Senin, 7 Desember 2026 pukul 10.00 WIB" in pigeon.last().text


@pytest.fixture
def central(db):
    channel = PigeonChannel(unit=None)
    channel.register()
    yield channel
    channel.unregister()


def test_a_case_from_triage_tells_the_citizen_its_unit(
    central, citizen, unit_a, operator, django_capture_on_commit_callbacks
):
    case = central.receive(citizen, "Ada pohon tumbang menutup jalan", at=MONDAY_8).case
    ack = central.last().text
    assert "Dinas PU" not in ack and "diberi tahu unitnya" in ack
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(case, unit=unit_a, actor=operator, via=Via.INBOX)
    told = central.last()
    assert told.case == case
    assert f"*{case.tracking_number}* kini ditangani oleh *Dinas PU*" in told.text
    assert "paling lambat" in told.text


def test_a_pin_is_acknowledged_with_its_desa_and_kecamatan(pigeon, citizen, tmp_path):
    kecamatan = testing.create_region("35.10.07", "Rogojampi")
    testing.create_region("35.10.07.2001", "Aliyan", parent=kecamatan)
    square = [[114.0, -8.3], [114.1, -8.3], [114.1, -8.2], [114.0, -8.2], [114.0, -8.3]]
    path = tmp_path / "desa.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"kode": "35.10.07.2001"},
                        "geometry": {"type": "Polygon", "coordinates": [square]},
                    }
                ],
            }
        )
    )
    assert import_boundaries(path, code_property="kode")["imported"] == 1
    case = pigeon.receive(citizen, "Saluran air mampet").case
    pigeon.receive(citizen, "[lokasi]", location=Location(-8.25, 114.05), at=MONDAY_8)
    case.refresh_from_db()
    assert case.region_id == "35.10.07.2001"
    assert pigeon.last().text == (
        f"Lokasi untuk laporan *{case.tracking_number}* kami catat: "
        "*Desa Aliyan*, Kecamatan Rogojampi."
    )
    pigeon.receive(citizen, "[lokasi]", location=Location(-7.0, 112.0), at=MONDAY_8 + timedelta(1))
    assert "(-7.00000, 112.00000)" in pigeon.last().text
