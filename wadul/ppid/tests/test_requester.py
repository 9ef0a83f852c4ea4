"""Who asks (Perki 1/2021): a person, a group or a legal body, on their own behalf or as a
proxy (kuasa), with the body's registration papers or the power of attorney — on the web
form, at the counter and on a conversation. The handling PPID sees them on the request's
page; public pages and open data never do; the letters name the body or the principal."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from wadul import testing
from wadul.ppid import letters, services
from wadul.ppid.models import PpidRequest

from .test_intake import MONDAY_9, NIK
from .test_portal import FORM

PDF = b"%PDF-1.4\n% akta pendirian\n"
BODY = "Yayasan Pantau Anggaran Blambangan"


def akta(name: str = "akta.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def receipt_text(request: PpidRequest) -> str:
    return letters.body_text("receipt", request.letters.get(code="receipt").context)


def test_the_web_form_takes_a_legal_body_with_its_akta_and_explains_what_is_missing(
    client, kominfo, ppid_utama
):
    body = {**FORM, "requester_type": "badan_hukum", "capacity": "sendiri"}
    missing = client.post("/informasi/permohonan/", body)
    assert missing.status_code == 400
    page = missing.content.decode()
    assert 'id="id_body_name-error"' in page and "Tulis nama badan hukum" in page
    assert 'id="id_body_document-error"' in page and "Unggah akta pendirian" in page
    wrong = client.post(
        "/informasi/permohonan/",
        {**body, "body_name": BODY, "body_document": akta("akta.txt", b"x", "text/plain")},
    )
    assert wrong.status_code == 400 and "Unggah foto (JPG/PNG) atau berkas PDF" in (
        wrong.content.decode()
    )
    assert not PpidRequest.objects.exists()
    done = client.post(
        "/informasi/permohonan/", {**body, "body_name": BODY, "body_document": akta()}
    )
    assert done.status_code == 302
    request = PpidRequest.objects.get()
    assert (request.requester_type, request.body_name, request.proxy) == (
        "badan_hukum",
        BODY,
        False,
    )
    (document,) = services.requester_documents(request)
    assert document.original_name == "akta-badan-hukum.pdf" and document.file.read() == PDF
    assert f"{BODY} (badan hukum), diwakili oleh Budi Santoso" in receipt_text(request)
    # Never public: the open data and the figures know nothing of who asked.
    opendata = b"".join(client.get("/data/permohonan-informasi.json").streaming_content)
    assert BODY not in opendata.decode() and "Budi" not in json.loads(opendata).__repr__()
    assert BODY not in client.get("/informasi/statistik/").content.decode()
    # The handling PPID sees the body and opens its akta from the request's page.
    testing.login(client, ppid_utama)
    page = client.get(f"/inbox/ppid/{request.pk}/").content.decode()
    assert BODY in page and f"/inbox/kasus/{request.case.tracking_number}/" in page
    assert "akta-badan-hukum.pdf" in page


def test_the_web_form_takes_a_proxy_with_the_power_of_attorney(client, kominfo, ppid_utama):
    proxy = {**FORM, "capacity": "kuasa"}
    missing = client.post("/informasi/permohonan/", proxy)
    assert missing.status_code == 400
    assert "Tulis nama pemberi kuasa" in missing.content.decode()
    assert "Unggah surat kuasa" in missing.content.decode()
    photo = akta("kuasa.jpg", b"\xff\xd8\xff\xe0 jpeg", "image/jpeg")
    done = client.post(
        "/informasi/permohonan/",
        {**proxy, "principal": "Ahmad Fauzi", "proxy_document": photo},
    )
    assert done.status_code == 302
    request = PpidRequest.objects.get()
    assert request.proxy and request.principal == "Ahmad Fauzi"
    assert [d.original_name for d in services.requester_documents(request)] == ["surat-kuasa.jpg"]
    assert "Budi Santoso selaku kuasa dari Ahmad Fauzi" in receipt_text(request)
    request = services.decide(
        request, decision=PpidRequest.Decision.GRANTED, actor=ppid_utama, via="inbox"
    )
    notice = letters.body_text("notice", request.letters.get(code="notice").context)
    assert notice.startswith("Kepada Yth. Budi Santoso selaku kuasa dari Ahmad Fauzi")


def test_the_counter_registers_a_body_acting_through_a_proxy(client, ppid_utama, official_b):
    testing.login(client, ppid_utama)
    form = {
        "channel": "walk_in",
        "requester_type": "badan_hukum",
        "body_name": BODY,
        "capacity": "kuasa",
        "name": "Pak Darto",
        "nik": NIK,
        "address": "Desa Kemiren",
        "contact": "0812 3456 7890",
        "information": "Daftar penerima BLT desa 2026",
        "purpose": "Pengawasan warga",
        "obtain": "lihat",
        "receive": "ambil",
    }
    missing = client.post("/inbox/ppid/loket/", {**form, "body_document": akta()})
    assert missing.status_code == 400
    assert 'id="id_proxy_document-error"' in missing.content.decode()
    response = client.post(
        "/inbox/ppid/loket/",
        {**form, "body_document": akta(), "proxy_document": akta("kuasa.pdf")},
    )
    ppid = PpidRequest.objects.get()
    assert response["Location"] == f"/inbox/ppid/{ppid.pk}/"
    assert (ppid.requester_type, ppid.body_name, ppid.proxy, ppid.principal) == (
        "badan_hukum",
        BODY,
        True,
        BODY,
    )
    names = [d.original_name for d in services.requester_documents(ppid)]
    assert names == ["akta-badan-hukum.pdf", "surat-kuasa.pdf"]
    page = client.get(f"/inbox/ppid/{ppid.pk}/").content.decode()
    assert f"Pak Darto selaku kuasa dari {BODY} (badan hukum)" in page
    assert "surat-kuasa.pdf" in page
    assert f"Pak Darto selaku kuasa dari {BODY}" in receipt_text(ppid)
    client.logout()
    testing.login(client, official_b)
    assert client.get(f"/inbox/ppid/{ppid.pk}/").status_code == 404


def test_the_conversation_asks_who_asks_and_wants_the_power_of_attorney_as_a_file(
    pigeon, citizen, kominfo
):
    pigeon.receive(citizen, reply_id="kind:information_request", at=MONDAY_9)
    assert "1 perorangan, 2 kelompok orang, 3 badan hukum" in pigeon.last().text
    for answer in ("1", "2"):
        pigeon.receive(citizen, answer, at=MONDAY_9)
    assert "pemberi kuasa" in pigeon.last().text
    pigeon.receive(citizen, "Ahmad Fauzi", at=MONDAY_9)
    assert "surat kuasa" in pigeon.last().text
    # A text is no document: asked again.
    assert pigeon.receive(citizen, "nanti", at=MONDAY_9).outcome == "intake_invalid"
    assert not PpidRequest.objects.exists()
