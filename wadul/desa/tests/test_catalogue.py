"""The service catalogue: field checks (NIK, KK, dates) and a template that must only name
fields the service has — an admin form error in Indonesian otherwise."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from wadul import testing
from wadul.cases.kinds import InvalidAnswer
from wadul.cases.models import Case
from wadul.desa import checks
from wadul.desa.models import LetterOffice, Service
from wadul.desa.tests.conftest import ktp_photo
from wadul.organisation.models import Official


@pytest.mark.parametrize(
    "text",
    [
        "351001570890000",  # 15 digits
        "35100157089000012",  # 17 digits
        "3510013213900001",  # day 32 of month 13
        "3510013102900001",  # 31 February
        "0010011708900001",  # no province 00
    ],
)
def test_an_impossible_nik_is_refused_with_what_to_fix(text):
    with pytest.raises(InvalidAnswer, match="NIK"):
        checks.nik(text)


def test_a_nik_of_a_woman_has_forty_added_to_the_day():
    assert checks.nik("3510 0157 0890 0001") == "3510015708900001"  # 17-08-1990, a woman
    assert checks.nik("3510011708900001") == "3510011708900001"  # a man


def test_kk_and_date_checks():
    assert checks.kk("3510010101100002") == "3510010101100002"
    with pytest.raises(InvalidAnswer, match="Nomor KK harus 16 angka"):
        checks.kk("12345")
    assert checks.a_date("17-08-1990") == "1990-08-17"
    with pytest.raises(InvalidAnswer, match="Tanggal tidak dikenali"):
        checks.a_date("30-02-2026")


def test_a_template_naming_a_missing_field_is_refused(desa):
    service = Service.objects.get(unit=desa, code="domisili")
    service.full_clean()  # the seeded template is valid
    service.template += " Pekerjaan: {pekerjaan}."
    with pytest.raises(ValidationError) as raised:
        service.full_clean()
    assert "tidak ada di layanan ini: {pekerjaan}" in str(raised.value.message_dict["template"])


def test_a_field_with_an_unknown_type_or_a_bad_number_format_is_refused(desa):
    service = Service.objects.get(unit=desa, code="sku")
    service.fields = [*service.fields, {"name": "umur", "label": "Umur", "type": "angka"}]
    with pytest.raises(ValidationError, match="type"):
        service.full_clean()
    office = LetterOffice.objects.get(unit=desa)
    office.number_format = "474/{nomor}/{year}"
    with pytest.raises(ValidationError, match="Format nomor tidak sah"):
        office.full_clean()


def test_the_admin_shows_the_template_error_on_the_form(client, desa):
    admin = testing.create_official(
        "root", unit=None, role=Official.Role.ADMIN, is_staff=True, is_superuser=True
    )
    testing.login(client, admin)
    service = Service.objects.get(unit=desa, code="domisili")
    page = client.get(f"/admin/desa/service/{service.pk}/change/")
    assert page.status_code == 200
    form = {
        "unit": desa.pk,
        "code": "domisili",
        "name": service.name,
        "fields": '[{"name": "nama", "label": "Nama", "type": "text"}]',
        "documents": '["ktp"]',
        "fee": 0,
        "fee_note": service.fee_note,
        "target_hours": 8,
        "signer": "kepala_desa",
        "delivery": "whatsapp",
        "title": service.title,
        "template": "Nama {nama}, alamat {alamat}",
        "is_active": "on",
    }
    response = client.post(f"/admin/desa/service/{service.pk}/change/", form)
    assert response.status_code == 200  # the form again, with the error
    assert "tidak ada di layanan ini: {alamat}" in response.content.decode()
    service.refresh_from_db()
    assert "{keperluan}" in service.template  # nothing saved


def test_every_standard_letter_is_free_by_law(desa):
    services = Service.objects.filter(unit=desa)
    assert services.count() == 8
    assert all(s.fee == 0 and "Gratis" in s.fee_note for s in services)


def test_the_public_catalogue_page_lists_the_desas_services(client, desa, unit_a):
    page = client.get(f"/layanan-desa/{desa.code}/").content.decode()
    assert "Surat Keterangan Domisili" in page and "Gratis, tidak dipungut biaya." in page
    assert "Foto KTP" in page and "8 jam kerja" in page
    assert client.get(f"/layanan-desa/{unit_a.code}/").status_code == 404


def test_a_citizen_asks_for_a_letter_on_the_web(client, desa):
    url = f"/layanan-desa/{desa.code}/domisili/"
    assert "Nama lengkap (sesuai KTP)" in client.get(url).content.decode()
    form = {
        "nama_pemohon": "Siti Rahayu",
        "nama": "Siti Rahayu",
        "nik": "12345",
        "no_kk": "3510010101100002",
        "alamat": "Dusun Krajan",
        "keperluan": "melamar pekerjaan",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400 and "NIK harus 16 angka" in refused.content.decode()
    assert "Foto KTP belum diunggah" in refused.content.decode()
    assert not Case.objects.exists()
    form.update(
        nik="3510015708900001",
        foto_ktp=ktp_photo("ktp.jpg"),
        foto_kk=ktp_photo("kk.jpg"),
    )
    response = client.post(url, form)
    case = Case.objects.get()
    assert response["Location"] == f"/k/{case.access_token}/?baru=1"
    assert (case.type, case.channel, case.unit) == ("village_letter", "web", desa)
    assert case.details["nik"] == "3510015708900001" and case.attachments.count() == 2
    assert case.tracking_number in client.get(response["Location"]).content.decode()
    assert client.get(f"/layanan-desa/{desa.code}/surat-sakti/").status_code == 404
