"""UU 27/2022 over WhatsApp, end to end through the simulator: "data saya" → the number
is the proven identity → the DPO sends the copy → two documents reach the phone, without
the neighbour named in the complaint or the other reporter of a merged case; the clock runs
3 × 24 hours of clock time; a number with no data is told so at once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Status, Via
from wadul.organisation.models import Official, Unit
from wadul.portal.models import PersonalTerm
from wadul.sla.models import Schedule, UnitSchedule
from wadul.whatsapp.conftest import UNIT_PNID
from wadul.whatsapp.models import InboundMessage, MessageStatus, OutboundMessage

CITIZEN = "6281234500001"
STRANGER = "6281234500099"


def outbound(simulator, user=CITIZEN) -> list[dict]:
    found = simulator.control("conversations", phone_number_id=UNIT_PNID, user=user)
    return [m for m in found["messages"] if m["direction"] == "outbound"]


def _dpo_unit(regency) -> Unit:
    unit = testing.create_unit("Pejabat PDP", parent=regency, code="PDP")
    round_the_clock = Schedule.objects.create(
        name="24 jam tanpa libur", always_open=True, observes_holidays=False
    )
    UnitSchedule.objects.create(unit=unit, schedule=round_the_clock)
    return unit


def _past_complaint(unit, official, citizen) -> Case:
    """Siti's old complaint naming her neighbour; Budi's duplicate was merged into it."""
    case = testing.create_case(
        unit=unit, contact=citizen, text="Pak Darmo tetangga saya membakar sampah tiap malam"
    )
    PersonalTerm.objects.create(term="Darmo", case=case)
    other = testing.create_case(
        unit=unit,
        contact=testing.create_contact("Budi Hartono"),
        text="Asap pembakaran sampah di RT 03",
    )
    services.mark_duplicate(other, of=case, actor=official, via=Via.INBOX)
    services.answer(case, text="Budi Hartono juga melapor; kami tegur", actor=official, via="inbox")
    services.resolve(case, actor=official, via=Via.INBOX)
    services.close(case, actor=official, via=Via.INBOX)
    # Long closed: a new message opens a new request instead of reopening it.
    long_ago = timezone.now() - timedelta(days=90)
    Case.objects.filter(pk=case.pk).update(closed_at=long_ago, updated_at=long_ago)
    return case


@pytest.fixture
def dpo(regency) -> Official:
    dpo = testing.create_official("dewi", unit=_dpo_unit(regency), role=Official.Role.HEAD)
    dpo.user_permissions.add(Permission.objects.get(codename="act_as_dpo"))
    return dpo


@pytest.fixture
def siti(unit_a):
    return testing.create_contact("Siti Rahayu", wa_id=CITIZEN)


@pytest.fixture
def old(siti, unit_a, official_a) -> Case:
    return _past_complaint(unit_a, official_a, siti)


def test_data_saya_brings_the_copy_without_other_peoples_data(
    simulator, settle, unit_number, dpo, siti, old, client
):
    pdp = dpo.unit

    simulator.inbound(phone_number_id=UNIT_PNID, **{"from": CITIZEN}, type="text", text="data saya")
    settle()
    assert "Apa yang Anda minta" in outbound(simulator)[-1]["text"]
    simulator.inbound(phone_number_id=UNIT_PNID, **{"from": CITIZEN}, type="text", text="1")
    settle()

    request = Case.objects.get(type="personal_data")
    assert request.contact == siti and request.details == {"hak": "akses"}
    assert request.unit == pdp and request.status == Status.ASSIGNED
    opened = request.events.get(kind="opened").at
    assert request.resolution_due_at == opened + timedelta(hours=72)
    assert request.tracking_number in outbound(simulator)[-1]["text"]

    testing.login(client, dpo)
    client.post(f"/inbox/privasi/kasus/{request.tracking_number}/", {"action": "send_copy"})
    settle()

    documents = [m for m in outbound(simulator) if m["type"] == "document"]
    assert {d["status"] for d in documents} == {"delivered"}
    assert sorted(d["content"]["filename"] for d in documents) == [
        "data-pribadi.json",
        "data-pribadi.pdf",
    ]
    sent = request.attachments.get(original_name="data-pribadi.json").file.read().decode()
    bundle = json.loads(sent)
    assert bundle["kontak"]["nama"] == "Siti Rahayu"
    assert old.tracking_number in [c["nomor"] for c in bundle["kasus"]]
    assert "Darmo" not in sent and "Budi" not in sent and "Hartono" not in sent
    assert "tetangga saya membakar sampah" in sent  # her own words stay


def test_a_number_with_no_data_is_told_so_without_a_hint_about_other_numbers(
    simulator, settle, unit_number, regency, unit_a
):
    _dpo_unit(regency)
    testing.create_case(unit=unit_a, contact=testing.create_contact("Siti", wa_id=CITIZEN))
    simulator.inbound(
        phone_number_id=UNIT_PNID, **{"from": STRANGER}, type="text", text="data saya"
    )
    settle()
    simulator.inbound(phone_number_id=UNIT_PNID, **{"from": STRANGER}, type="text", text="1")
    settle()
    texts = [m["text"] for m in outbound(simulator, STRANGER)]
    # First contact: the privacy notice names the DPO and how to use the rights.
    assert any("ketik *data saya*" in t and "Pejabat Pelindungan Data Pribadi" in t for t in texts)
    assert any("tidak memiliki data pribadi" in t for t in texts)
    assert not any(CITIZEN in t or "Siti" in t for t in texts)
    assert Case.objects.get(type="personal_data").status == Status.RESOLVED


def test_an_erasure_over_whatsapp_is_confirmed_and_empties_the_channels_copies(
    simulator, settle, unit_number, dpo, siti, old, client
):
    for text in ("data saya", "3"):
        simulator.inbound(phone_number_id=UNIT_PNID, **{"from": CITIZEN}, type="text", text=text)
        settle()
    request = Case.objects.get(type="personal_data")
    assert request.details == {"hak": "hapus"}

    testing.login(client, dpo)
    client.post(f"/inbox/privasi/kasus/{request.tracking_number}/", {"action": "erase"})
    settle()

    assert "telah dihapus" in outbound(simulator)[-1]["text"]
    siti.refresh_from_db()
    assert siti.display_name == "" and not siti.identities.exists()
    old.refresh_from_db()
    assert "Siti" not in old.description
    assert not InboundMessage.objects.filter(contact=siti).exclude(raw={}).exists()
    # The confirmation, queued with the erasure and sent after it, loses the number too
    # once delivered; so do the status webhooks stored for it.
    confirmation = OutboundMessage.objects.filter(contact=siti).order_by("pk").last()
    assert confirmation.state in ("delivered", "read") and confirmation.wamid
    assert set(
        OutboundMessage.objects.filter(contact=siti).values_list("recipient", flat=True)
    ) == {""}
    assert "dihapus" not in json.dumps(confirmation.content)
    stored = MessageStatus.objects.filter(wamid=confirmation.wamid)
    assert stored.exists() and set(stored.values_list("recipient", flat=True)) == {""}
