"""Public-information requests end to end over real HTTP (simulator → webhook → worker →
PPID → outbox → simulator): the guided request and its registration number, forwarding,
the extension, a partial grant whose redacted file arrives as a WhatsApp document; a
refusal, the requester's objection on WhatsApp and the atasan's decision; a not-held
answer naming the body that holds it; a legal body sending its akta as a document."""

from __future__ import annotations

import base64

import pytest

from wadul import testing
from wadul.cases.models import Case
from wadul.organisation.models import Unit
from wadul.ppid import services
from wadul.ppid.models import Desk, PpidRequest
from wadul.whatsapp.conftest import CENTRAL_PNID

CITIZEN = "6281234500077"
REDACTED = b"%PDF-1.4\n% DPA 2026, lampiran penerima hibah dihitamkan\n"
ANSWERS = [
    "1",  # perorangan
    "1",  # atas nama sendiri
    "Siti Rahayu",
    "3510014506900001",
    "Jl. Ahmad Yani 12, Genteng",
    "Salinan DPA Dinas PU tahun 2026",
    "Untuk penelitian skripsi tentang anggaran jalan",
    "2",
    "4",
]


def chat(simulator) -> list[dict]:
    return simulator.control("conversations", phone_number_id=CENTRAL_PNID, user=CITIZEN)[
        "messages"
    ]


def received(simulator) -> list[dict]:
    return [m for m in chat(simulator) if m["direction"] == "outbound"]


def documents(simulator) -> list[dict]:
    return [m for m in received(simulator) if m["type"] == "document"]


def write(simulator, text: str = "", **spec) -> None:
    spec = spec or {"type": "text", "text": text}
    simulator.inbound(phone_number_id=CENTRAL_PNID, **{"from": CITIZEN}, **spec)


@pytest.fixture
def ppid_desks(central_desk, central_number, unit_a, regency):
    """The central number's desk is the PPID Utama (Diskominfo's command centre), Dinas PU
    a PPID Pelaksana, the Setda the atasan."""
    setda = testing.create_unit(
        "Sekretariat Daerah", kind=Unit.Kind.SEKRETARIAT, parent=regency, code="SETDA"
    )
    services.designate(central_desk, role=Desk.Role.UTAMA)
    services.designate(unit_a, role=Desk.Role.PELAKSANA)
    services.designate(setda, role=Desk.Role.ATASAN)
    return setda


def request_over_whatsapp(simulator, settle) -> PpidRequest:
    write(simulator, "Halo")
    settle()
    write(
        simulator,
        type="interactive",
        interactive_type="list_reply",
        reply={"id": "kind:information_request", "title": "Informasi publik"},
    )
    settle()
    for answer in ANSWERS:
        write(simulator, answer)
        settle()
    return PpidRequest.objects.get()


def test_request_forward_extend_partly_grant_with_a_redacted_document(
    simulator, settle, ppid_desks, operator, official_a, unit_a
):
    request = request_over_whatsapp(simulator, settle)
    texts = [m.get("text", "") for m in received(simulator)]
    assert any(request.registration_number in t and "hari kerja" in t for t in texts)
    (receipt,) = documents(simulator)
    assert receipt["content"]["filename"].startswith("receipt-")
    assert simulator.simulator.media[receipt["media_id"]].data.startswith(b"%PDF")

    services.forward(request, to_unit=unit_a, actor=operator, via="inbox")
    services.extend(request, reason="Dokumen diambil dari arsip", actor=official_a, via="inbox")
    services.decide(
        request,
        decision="partly_granted",
        exemption_basis="17h",
        consequence_test="Lampiran DPA: nama dan NIK penerima hibah; Pasal 17 huruf h; "
        "membuka rahasia pribadi penerima.",
        redactions="Nama dan NIK penerima hibah",
        cost="Salinan elektronik, tanpa biaya",
        file=redacted_file(),
        actor=official_a,
        via="inbox",
    )
    settle()
    # (The outbox sends in parallel: the order on the phone is not asserted.)
    names = [d["content"]["filename"] for d in documents(simulator)]
    assert {n.split("-")[0] for n in names} == {"receipt", "extension", "notice", "dpa.pdf"}
    (information,) = [d for d in documents(simulator) if d["content"]["filename"] == "dpa.pdf"]
    assert simulator.simulator.media[information["media_id"]].data == REDACTED
    assert any("dikabulkan sebagian" in m.get("text", "") for m in received(simulator))


def redacted_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("dpa.pdf", REDACTED, content_type="application/pdf")


def test_refusal_objection_on_whatsapp_and_the_atasans_decision(
    simulator, settle, ppid_desks, operator, unit_a
):
    request = request_over_whatsapp(simulator, settle)
    atasan = testing.create_official("sekda.ppid", unit=ppid_desks, role="head")
    services.decide(
        request,
        decision="refused",
        exemption_basis="17a",
        consequence_test="Berkas penyidikan pengadaan 2026: membuka strategi penyidikan.",
        actor=operator,
        via="inbox",
    )
    settle()
    write(simulator, "keberatan")
    settle()
    assert "Pasal 35" in received(simulator)[-1]["text"]
    write(simulator, "keberatan a Informasi ini tidak termasuk yang dikecualikan")
    settle()
    request.refresh_from_db()
    assert request.stage == "objected" and Case.objects.get().unit == ppid_desks
    services.decide_objection(
        request, outcome="dismissed", text="Penyidikan masih berjalan.", actor=atasan, via="inbox"
    )
    settle()
    names = [d["content"]["filename"] for d in documents(simulator)]
    assert sorted(n.split("-")[0] for n in names) == [
        "atasan_decision",
        "notice",
        "objection_receipt",
        "receipt",
    ]
    assert any("Komisi Informasi" in m.get("text", "") for m in received(simulator))


def test_not_held_names_the_holding_body(simulator, settle, ppid_desks, operator):
    request = request_over_whatsapp(simulator, settle)
    services.decide(
        request,
        decision="not_held",
        holding_body="Kantor Pertanahan (BPN) Banyuwangi",
        actor=operator,
        via="inbox",
    )
    settle()
    assert any("tidak dikuasai" in m.get("text", "") for m in received(simulator))
    assert any(d["content"]["filename"].startswith("notice-") for d in documents(simulator))


AKTA = b"%PDF-1.4\n% Akta pendirian Yayasan Pantau Anggaran Blambangan\n"


def test_a_legal_body_sends_its_akta_as_a_whatsapp_document(simulator, settle, ppid_desks):
    write(simulator, "Halo")
    settle()
    write(
        simulator,
        type="interactive",
        interactive_type="list_reply",
        reply={"id": "kind:information_request", "title": "Informasi publik"},
    )
    settle()
    assert "3 badan hukum" in received(simulator)[-1]["text"]
    for answer in ("3", "Yayasan Pantau Anggaran Blambangan"):
        write(simulator, answer)
        settle()
    assert "akta pendirian" in received(simulator)[-1]["text"]
    write(
        simulator,
        type="document",
        media={
            "content_b64": base64.b64encode(AKTA).decode(),
            "mime_type": "application/pdf",
            "filename": "akta.pdf",
        },
    )
    settle()
    assert "kuasa" in received(simulator)[-1]["text"]
    for answer in ANSWERS[1:]:  # on its own behalf, then the person and the request
        write(simulator, answer)
        settle()
    request = PpidRequest.objects.get()
    assert request.requester_type == "badan_hukum" and not request.proxy
    assert request.body_name == "Yayasan Pantau Anggaran Blambangan"
    (akta,) = services.requester_documents(request)
    assert akta.content_type == "application/pdf" and akta.file.read() == AKTA
    receipt = request.letters.get(code="receipt").context
    assert receipt["requester"] == (
        "Yayasan Pantau Anggaran Blambangan (badan hukum), diwakili oleh Siti Rahayu"
    )
