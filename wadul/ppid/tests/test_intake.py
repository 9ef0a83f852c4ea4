"""The guided request on a conversation channel: one question at a time, the NIK checked,
`batal`, and the registration number with the legal deadline at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from wadul.cases.models import Case
from wadul.ppid.models import Letter, PpidRequest

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=WIB)
NIK = "3510014506900001"


def ask(pigeon, citizen, at=MONDAY_9) -> Case:
    pigeon.receive(citizen, reply_id="kind:information_request", at=at)
    for answer in (
        "1",  # perorangan
        "1",  # atas nama sendiri
        "Siti Rahayu",
        NIK,
        "Jl. Ahmad Yani 12, Genteng",
        "Salinan DPA Dinas PU tahun 2026",
        "Untuk penelitian skripsi tentang anggaran jalan",
        "2",
        "4",
    ):
        outcome = pigeon.receive(citizen, answer, at=at)
    return outcome.case


def test_the_request_is_collected_and_registered_with_its_deadline(pigeon, citizen, kominfo):
    case = ask(pigeon, citizen)
    assert case.type == "information_request" and case.unit == kominfo
    request = PpidRequest.objects.get(case=case)
    assert request.registration_number == "00001/PPID/2026"
    assert request.nik == NIK and request.obtain == "salinan" and request.receive == "whatsapp"
    # 10 working days from Monday 7 December 2026: Monday 21 December.
    assert request.notice_due_at.astimezone(WIB).date().isoformat() == "2026-12-21"
    texts = [sent.text for sent in pigeon.sent]
    assert any("00001/PPID/2026" in t and "21 Desember 2026" in t for t in texts)
    receipt = Letter.objects.get(request=request, code="receipt")
    assert receipt.state == Letter.State.READY and receipt.attachment is not None
    sent_receipt = [s for s in pigeon.sent if s.notice.attachment is not None]
    assert sent_receipt[0].notice.attachment == receipt.attachment


def test_a_wrong_nik_is_explained_and_asked_again(pigeon, citizen, kominfo):
    pigeon.receive(citizen, reply_id="kind:information_request", at=MONDAY_9)
    for answer in ("perorangan", "sendiri", "Siti Rahayu"):
        pigeon.receive(citizen, answer, at=MONDAY_9)
    assert pigeon.receive(citizen, "12345", at=MONDAY_9).outcome == "intake_invalid"
    assert "NIK harus 16 angka" in pigeon.last().text
    assert pigeon.receive(citizen, "3510019913900001", at=MONDAY_9).outcome == "intake_invalid"
    assert "tanggal lahir" in pigeon.last().text
    assert pigeon.receive(citizen, NIK, at=MONDAY_9).outcome == "intake_answered"


def test_batal_stops_the_request(pigeon, citizen, kominfo):
    pigeon.receive(citizen, reply_id="kind:information_request", at=MONDAY_9)
    pigeon.receive(citizen, "Siti Rahayu", at=MONDAY_9)
    assert pigeon.receive(citizen, "batal", at=MONDAY_9).outcome == "intake_cancelled"
    assert not PpidRequest.objects.exists()


def test_the_menu_offers_public_information(pigeon, citizen, kominfo):
    pigeon.receive(citizen, "halo", at=MONDAY_9)
    ids = [choice.id for choice in pigeon.last().notice.choices]
    assert "kind:information_request" in ids


def test_a_first_message_asking_for_information_starts_the_guided_request(pigeon, citizen, kominfo):
    started = pigeon.receive(
        citizen, "Permohonan informasi: salinan DPA Dinas PU tahun 2025", at=MONDAY_9
    )
    assert started.outcome == "intake_started" and started.case is None
    assert "Anda mengajukan sebagai" in pigeon.last().text
