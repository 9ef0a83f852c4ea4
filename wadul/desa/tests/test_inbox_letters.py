"""The desa operator's queue and the request page's letter actions in the inbox, and who
may see the identity photos."""

from __future__ import annotations

from wadul import testing
from wadul.cases.models import Case, Via
from wadul.desa.models import Letter
from wadul.desa.tests.conftest import add_ktp_photo, request_letter


def test_the_operator_has_a_letters_queue(client, desa, desa_operator, official_a):
    case = request_letter(desa)
    testing.login(client, desa_operator)
    page = client.get("/inbox/?antrian=jenis-village_letter").content.decode()
    assert "Surat dari desa" in page and case.tracking_number in page
    client.logout()
    testing.login(client, official_a)  # Dinas PU: no letters queue
    assert "jenis-village_letter" not in client.get("/inbox/").content.decode()


def test_prepare_send_and_sign_from_the_inbox(client, desa, desa_operator, kepala_desa):
    case = request_letter(desa)
    url = f"/inbox/kasus/{case.tracking_number}/"
    testing.login(client, desa_operator)
    page = client.get(url).content.decode()
    assert "Surat Keterangan Domisili" in page and "3510015708900001" in page
    client.post(url + "surat/", {"action": "prepare", "text": ""})
    letter = Letter.objects.get(case=case)
    assert "Siti Rahayu" in letter.body
    client.post(url + "surat/", {"action": "prepare", "text": letter.body + "\nTambahan."})
    client.post(url + "surat/", {"action": "send"})
    letter.refresh_from_db()
    assert letter.state == Letter.State.AWAITING_SIGNATURE and letter.body.endswith("Tambahan.")
    refused = client.post(url + "surat/", {"action": "approve"}, follow=True).content.decode()
    assert "tidak berwenang" in refused  # the operator does not sign
    client.logout()
    testing.login(client, kepala_desa)
    assert "Setujui dan tanda tangani" in client.get(url).content.decode()
    client.post(url + "surat/", {"action": "approve"})
    letter.refresh_from_db()
    assert letter.state == Letter.State.SIGNED and letter.number.startswith("474/001/")
    assert case.events.get(kind="letter_signed").via == Via.INBOX
    history = client.get(url).content.decode()
    assert "surat ditandatangani" in history and "draf surat disiapkan" in history
    assert "letter_signed" not in history


def test_other_units_and_supervisors_do_not_see_the_identity_photos(
    client, desa, desa_operator, official_a, supervisor
):
    case = request_letter(desa)
    photo = add_ktp_photo(case)
    photo_url = f"/inbox/kasus/{case.tracking_number}/lampiran/{photo.pk}/"
    testing.login(client, desa_operator)
    assert client.get(photo_url).status_code == 200
    client.logout()
    testing.login(client, official_a)
    assert client.get(photo_url).status_code == 404
    assert (
        client.post(
            f"/inbox/kasus/{case.tracking_number}/surat/", {"action": "prepare"}
        ).status_code
        == 404
    )
    client.logout()
    testing.login(client, supervisor)  # sees every case, but not a KTP
    assert client.get(f"/inbox/kasus/{case.tracking_number}/").status_code == 200
    assert client.get(photo_url).status_code == 404


def test_the_operator_registers_a_walk_in_at_the_counter(client, desa, desa_operator, official_a):
    testing.login(client, desa_operator)
    assert (
        "Permohonan di loket" in client.get("/inbox/?antrian=jenis-village_letter").content.decode()
    )
    url = "/inbox/surat/loket/?layanan=domisili"
    form = {
        "nama_pemohon": "Budi Santoso",
        "whatsapp": "0812-3456-7890",
        "nama": "Budi Santoso",
        "nik": "3510153213850002",  # day 32
        "no_kk": "3510010101100002",
        "alamat": "Dusun Krajan",
        "keperluan": "melamar pekerjaan",
        "foto_ktp": testing.uploaded_jpeg("ktp.jpg"),
    }
    refused = client.post(url, form)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "tanggal lahir di dalam NIK" in page and "Foto Kartu Keluarga belum diunggah" in page
    assert not Case.objects.exists()  # nothing half-saved
    form.update(
        nik="3510151203850002",
        foto_ktp=testing.uploaded_jpeg("ktp.jpg"),
        foto_kk=testing.uploaded_jpeg("kk.jpg"),
    )
    response = client.post(url, form)
    case = Case.objects.get()
    assert response["Location"] == f"/inbox/kasus/{case.tracking_number}/"
    assert case.channel == "walk_in" and case.details["nik"] == "3510151203850002"
    assert case.attachments.count() == 2
    assert case.contact.identities.get().value == "6281234567890"
    client.logout()
    testing.login(client, official_a)  # Dinas PU has no counter for letters
    assert client.get(url).status_code == 403
