from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from wadul.cases.models import Case, Contact, ContactIdentity, Status
from wadul.portal.forms import normalise_wa_number
from wadul.portal.tests.conftest import bomb_file, jpeg_with_gps, png_file


def _post(client, headers=None, **fields):
    data = {
        "type": "complaint",
        "text": "Lampu PJU di perempatan mati seminggu.",
        "visibility": "public",
    }
    data.update(fields)
    return client.post("/lapor/", data, **(headers or {}))


def test_the_form_is_in_indonesian(client, regions):
    page = client.get("/lapor/").content.decode()
    assert "Kirim laporan" in page and "Kemiren" in page
    assert 'id="picker"' in page  # the map for a point is drawn (regions have coordinates)


def test_a_report_opens_a_web_case_in_triage_and_shows_the_private_link(client, regions):
    response = _post(
        client,
        region=regions["kemiren"].code,
        latitude="-8.2",
        longitude="114.3",
        name="Siti Rahayu",
        whatsapp="0812 3456 7890",
        photos=[png_file()],
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/k/{case.access_token}/?baru=1"
    assert case.channel == "web" and case.status == Status.TRIAGE and case.unit is None
    assert case.region == regions["kemiren"] and case.latitude == -8.2
    assert case.attachments.get().kind == "image"
    # The number waits for its code (test_whatsapp_verification); the name is the contact's.
    assert case.whatsapp_verification.number == "6281234567890"
    assert not ContactIdentity.objects.filter(kind="wa_id").exists()
    assert case.contact.display_name == "Siti Rahayu" and case.contact.consent_at
    page = client.get(response["Location"]).content.decode()
    assert case.tracking_number in page and str(case.access_token) in page


def test_a_known_whatsapp_number_is_not_taken_on_trust(client, citizen, db):
    _post(client, whatsapp="+62 812-3456-7890")
    case = Case.objects.get()
    assert case.contact != citizen and case.whatsapp_verification.number == "6281234567890"


def test_an_anonymous_report_keeps_no_name(client, db):
    _post(client, visibility="anonymous", name="Siti Rahayu", whatsapp="081234567891")
    case = Case.objects.get()
    assert case.visibility == "anonymous" and case.contact is None
    assert not Contact.objects.filter(display_name__icontains="Siti").exists()


def test_a_report_without_contact_details_has_no_contact(client, db):
    _post(client)
    assert Case.objects.get().contact is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812 3456 7890", "6281234567890"),
        ("+62 812-3456-7890", "6281234567890"),
        ("62.812.3456.7890", "6281234567890"),
        ("(0812) 3456-789", "628123456789"),
        ("8123456789", "628123456789"),
        ("0333 421234", None),
        ("12345", None),
        ("+1 202 555 0100", None),
    ],
)
def test_whatsapp_numbers_are_normalised(raw, expected):
    assert normalise_wa_number(raw) == expected


def test_errors_are_shown_next_to_the_field_in_indonesian(client, db):
    response = _post(client, text="pendek", whatsapp="12345")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_text-error"' in page and 'id="id_whatsapp-error"' in page
    assert "Contoh: 0812 3456 7890" in page
    assert not Case.objects.exists()


def _photo_with_metadata(fmt: str):
    """A 40×20 photo whose metadata names the reporter and pins their house; turned a
    quarter (EXIF orientation 6), as phone cameras store portrait photos."""

    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = "Siti Rahayu"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "S", 2: (8.0, 12.0, 3.5), 3: "E", 4: (114.0, 19.0, 7.25)}  # GPS
    out = io.BytesIO()
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "Siti Rahayu")
        image.save(out, "PNG", pnginfo=info, exif=exif)
    else:
        image.save(out, fmt, exif=exif)
    kind = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(f"IMG_0001.{fmt.lower()}", out.getvalue(), content_type=kind)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_photo_metadata_is_removed_and_the_orientation_kept(client, db, fmt):
    assert _post(client, photos=[_photo_with_metadata(fmt)]).status_code == 302
    stored = Case.objects.get().attachments.get()
    data = stored.file.read()
    assert b"Siti Rahayu" not in data
    with Image.open(stored.file) as image:
        assert image.format == fmt and image.size == (20, 40)  # portrait, as shown before
        assert not image.getexif() and "Author" not in image.info


def test_a_file_that_is_not_a_photo_is_refused(client, db):
    fake = SimpleUploadedFile("x.png", b"<html>not a png</html>", content_type="image/png")
    response = _post(client, photos=[fake])
    assert response.status_code == 400 and "bukan foto" in response.content.decode()
    assert not Case.objects.exists()


def test_a_file_that_only_starts_like_a_photo_is_refused(client, db):
    fake = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0 not really", content_type="image/jpeg")
    response = _post(client, photos=[fake])
    assert response.status_code == 400 and "bukan foto" in response.content.decode()
    assert not Case.objects.exists()


def test_a_half_map_point_is_refused(client, db):
    assert _post(client, latitude="-8.2").status_code == 400


def test_the_honeypot_opens_nothing(client, db):
    response = _post(client, website="http://spam.example")
    assert response.status_code == 200 and not Case.objects.exists()


def test_reports_are_rate_limited_per_ip(client, settings, db):
    settings.PORTAL_REPORTS_PER_HOUR = 2
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    response = _post(client)
    assert response.status_code == 429 and Case.objects.count() == 2
    assert _post(client, headers={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_a_decompression_bomb_is_refused_from_its_header(client, db):
    bomb = bomb_file()
    started = time.monotonic()
    response = _post(client, photos=[bomb])
    assert response.status_code == 400 and "terlalu banyak piksel" in response.content.decode()
    assert not Case.objects.exists()
    assert time.monotonic() - started < 2


def test_photos_of_an_invalid_form_are_not_decoded(client, settings, db):
    settings.MEDIA_MAX_PIXELS = 200_000_000  # let the header pass: decoding is what is timed
    bomb = bomb_file()
    started = time.monotonic()
    response = _post(client, text="short", photos=[bomb])
    assert response.status_code == 400
    # Decoding 100 megapixels takes seconds; an invalid form is answered at once.
    assert time.monotonic() - started < 2


def test_photos_over_the_rate_limit_are_not_decoded(client, settings, db):
    settings.PORTAL_REPORTS_PER_HOUR = 0
    settings.MEDIA_MAX_PIXELS = 200_000_000
    bomb = bomb_file()
    started = time.monotonic()
    response = _post(client, photos=[bomb])
    assert response.status_code == 429
    assert time.monotonic() - started < 2


def test_a_web_photo_keeps_neither_metadata_nor_its_file_name(client, db):
    _post(client, photos=[jpeg_with_gps("Siti Rahayu di rumah.jpg")])
    attachment = Case.objects.get().attachments.get()
    assert "Siti" not in attachment.file.name and "Siti" not in attachment.original_name
    with Image.open(attachment.file.open("rb")) as image:
        assert not image.getexif()
