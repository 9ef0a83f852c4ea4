"""The web form's photos: a file that is not an image, a tiny picture, a blank page or a
blurred photo is refused with what to do, in Indonesian; the typed data stays in the form
and nothing is opened. A sharp photo passes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wadul.cases.kinds import InvalidAnswer
from wadul.cases.models import Case
from wadul.desa import photos
from wadul.desa.tests.conftest import ktp_photo


def form(**photos_given) -> dict:
    return {
        "nama_pemohon": "Siti Rahayu",
        "nama": "Siti Rahayu",
        "nik": "3510015708900001",
        "no_kk": "3510010101100002",
        "alamat": "Dusun Krajan RT 01/RW 02",
        "keperluan": "melamar pekerjaan",
        **photos_given,
    }


def blank_page() -> SimpleUploadedFile:
    import io

    out = io.BytesIO()
    Image.new("RGB", (1000, 700), (255, 255, 255)).save(out, "PNG")
    return SimpleUploadedFile("ktp.png", out.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("upload", "said"),
    [
        (SimpleUploadedFile("ktp.pdf", b"%PDF-1.4 scan", "application/pdf"), "bukan foto"),
        (SimpleUploadedFile("ktp.docx", b"PK\x03\x04 word", "application/msword"), "bukan foto"),
        (ktp_photo(size=(160, 100)), "terlalu kecil"),
        (ktp_photo(blur=4), "terlalu buram"),
        (blank_page(), "terlalu buram atau kosong"),
    ],
    ids=["pdf", "docx", "tiny", "blurred", "blank"],
)
def test_the_web_form_refuses_what_is_not_a_readable_photo(client, desa, upload, said):
    url = f"/layanan-desa/{desa.code}/domisili/"
    refused = client.post(url, form(foto_ktp=upload, foto_kk=ktp_photo("kk.jpg")))
    page = refused.content.decode()
    assert refused.status_code == 400 and said in page and "Foto KTP" in page
    assert "3510015708900001" in page and "Dusun Krajan RT 01/RW 02" in page  # kept
    assert not Case.objects.exists()


def test_a_sharp_photo_passes_and_a_lightly_soft_one_too():
    for upload in (ktp_photo(), ktp_photo(blur=1), ktp_photo(size=(3000, 1890))):
        photos.check(upload)
        assert upload.tell() == 0  # ready to be saved
    with pytest.raises(InvalidAnswer):
        photos.check(ktp_photo(blur=6, size=(3000, 1890)))
    assert photos.sharpness(Image.open(ktp_photo())) > 10 * photos.BLUR_THRESHOLD
