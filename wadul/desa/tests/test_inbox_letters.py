"""The desa operator's queue and the request page's letter actions in the inbox, and who
may see the identity photos."""

from __future__ import annotations

from wadul import testing
from wadul.cases.models import Via
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
