"""The PPID's desk in the inbox: the queue shows a unit's own requests only, the steps are
taken from a request's page, the NIK is shown to the handling PPID only, and staff register
counter requests."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wadul import testing
from wadul.ppid.models import PpidRequest

from .test_intake import NIK, ask


def test_the_queue_shows_the_units_requests_only(client, pigeon, citizen, ppid_utama, official_b):
    case = ask(pigeon, citizen)
    number = case.ppid.registration_number
    testing.login(client, ppid_utama)
    assert number in client.get("/inbox/ppid/").content.decode()
    client.logout()
    testing.login(client, official_b)
    assert number not in client.get("/inbox/ppid/").content.decode()
    assert client.get(f"/inbox/ppid/{case.ppid.pk}/").status_code == 404
    assert (
        client.post(f"/inbox/ppid/{case.ppid.pk}/aksi/", {"action": "deliver"}).status_code == 404
    )


def test_forward_and_decide_from_the_request_page(
    client, pigeon, citizen, ppid_utama, official_a, pelaksana, supervisor
):
    ppid = ask(pigeon, citizen).ppid
    testing.login(client, ppid_utama)
    page = client.get(f"/inbox/ppid/{ppid.pk}/").content.decode()
    assert NIK in page and "Tanda Bukti Penerimaan" in page
    response = client.post(
        f"/inbox/ppid/{ppid.pk}/aksi/", {"action": "forward", "unit": pelaksana.pk}
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/ppid/"
    client.logout()
    testing.login(client, official_a)
    refused = client.post(
        f"/inbox/ppid/{ppid.pk}/aksi/", {"action": "decide", "decision": "refused"}
    )
    assert refused.status_code == 302
    assert (
        "harus menyebut dasar pengecualian Pasal 17"
        in client.get(f"/inbox/ppid/{ppid.pk}/").content.decode()
    )
    client.post(
        f"/inbox/ppid/{ppid.pk}/aksi/",
        {
            "action": "decide",
            "decision": "granted",
            "cost": "Tanpa biaya",
            "file": SimpleUploadedFile("dpa.pdf", b"%PDF-1.4 dpa", content_type="application/pdf"),
        },
    )
    ppid.refresh_from_db()
    assert ppid.decision == "granted" and ppid.case.attachments.filter(original_name="dpa.pdf")
    page = client.get(f"/inbox/ppid/{ppid.pk}/").content.decode()
    assert "Pemberitahuan Tertulis" in page and NIK in page
    client.logout()
    # The supervisor sees the request, with the NIK masked.
    testing.login(client, supervisor)
    page = client.get(f"/inbox/ppid/{ppid.pk}/").content.decode()
    assert NIK not in page and ppid.masked_nik in page


def test_counter_registration(client, ppid_utama, official_b):
    testing.login(client, ppid_utama)
    form = {
        "channel": "walk_in",
        "name": "Pak Darto",
        "nik": "123",
        "address": "Desa Kemiren",
        "contact": "0812 3456 7890",
        "information": "Daftar penerima BLT desa 2026",
        "purpose": "Pengawasan warga",
        "obtain": "lihat",
        "receive": "ambil",
    }
    wrong = client.post("/inbox/ppid/loket/", form)
    assert wrong.status_code == 400 and "NIK harus 16 angka" in wrong.content.decode()
    response = client.post("/inbox/ppid/loket/", {**form, "nik": NIK})
    ppid = PpidRequest.objects.get()
    assert response["Location"] == f"/inbox/ppid/{ppid.pk}/"
    assert ppid.case.channel == "walk_in" and ppid.registration_number.endswith(
        f"/PPID/{timezone.localtime().year}"
    )
    client.logout()
    testing.login(client, official_b)  # not a PPID desk
    assert client.get("/inbox/ppid/loket/").status_code == 403


def test_the_dispute_file_has_letters_messages_and_events(
    client, pigeon, citizen, ppid_utama, official_b
):
    ppid = ask(pigeon, citizen).ppid
    testing.login(client, ppid_utama)
    response = client.get(f"/inbox/ppid/{ppid.pk}/berkas-sengketa.pdf")
    body = response.content
    assert response.status_code == 200 and body.startswith(b"%PDF")
    for text in (ppid.registration_number, "Tanda Bukti Penerimaan", "Pemohon", "opened"):
        assert text.encode() in body, text
    client.logout()
    testing.login(client, official_b)
    assert client.get(f"/inbox/ppid/{ppid.pk}/berkas-sengketa.pdf").status_code == 404
