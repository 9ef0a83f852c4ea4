"""Personas of a desa: Desa Kemiren (under Kecamatan Glagah) with its WhatsApp number and
letter catalogue, its operator (staff) and its kepala desa (head, the signer, with a
WhatsApp number); the Dinas PU official (unit A) is refused."""

from __future__ import annotations

import pytest

from wadul import testing
from wadul.cases import services as case_services
from wadul.cases.models import Via
from wadul.desa import catalogue
from wadul.organisation.models import Official, Unit

KEPALA_WA = "6281300001111"


@pytest.fixture
def kecamatan(regency) -> Unit:
    return testing.create_unit(
        "Kecamatan Glagah", kind=Unit.Kind.KECAMATAN, parent=regency, code="KEC-GLAGAH"
    )


@pytest.fixture
def desa(kecamatan) -> Unit:
    unit = testing.create_unit(
        "Desa Kemiren", kind=Unit.Kind.DESA, parent=kecamatan, code="DS-KEMIREN"
    )
    catalogue.install(unit)
    return unit


@pytest.fixture
def other_desa(kecamatan) -> Unit:
    unit = testing.create_unit(
        "Desa Olehsari", kind=Unit.Kind.DESA, parent=kecamatan, code="DS-OLEHSARI"
    )
    catalogue.install(unit, number_code="429.501.02")
    return unit


@pytest.fixture
def desa_operator(desa) -> Official:
    return testing.create_official("dewi", unit=desa)


@pytest.fixture
def kepala_desa(desa) -> Official:
    return testing.create_official(
        "slamet",
        unit=desa,
        role=Official.Role.HEAD,
        last_name="Riyadi",
        position="Kepala Desa Kemiren",
        whatsapp_number=KEPALA_WA,
    )


DOMISILI = {
    "layanan": "domisili",
    "nama": "Siti Rahayu",
    "nik": "3510015708900001",
    "no_kk": "3510010101100002",
    "alamat": "Dusun Krajan RT 01/RW 02",
    "keperluan": "melamar pekerjaan",
}


def request_letter(unit: Unit, at=None, **details):
    """A domisili request on `unit`, as the intake would have opened it."""
    return testing.create_case(
        unit=unit,
        type="village_letter",
        text="Surat domisili",
        details={**DOMISILI, **details},
        at=at,
    )


def add_ktp_photo(case):
    """A KTP photo on the request, as the citizen's WhatsApp photo would arrive."""
    return case_services.add_attachment(
        case,
        file=testing.uploaded_jpeg("ktp.jpg"),
        content_type="image/jpeg",
        actor=None,
        via=Via.WHATSAPP,
    )


def ktp_photo(name: str = "ktp.jpg", *, blur: float = 0, size=(1000, 630)):
    """A phone photo of a KTP-like card (lines of text), sharp unless `blur` (a Gaussian
    radius) is given."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    image = Image.new("RGB", (1000, 630), (200, 220, 235))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    lines = [
        "PROVINSI JAWA TIMUR  KABUPATEN BANYUWANGI",
        "NIK : 3510015708900001",
        "Nama : SITI RAHAYU",
        "Tempat/Tgl Lahir : BANYUWANGI, 17-08-1990",
        "Alamat : DUSUN KRAJAN RT 01/RW 02",
    ]
    for index, line in enumerate(lines):
        draw.text((30, 20 + index * 60), line, fill=(0, 0, 0), font=font)
    draw.rectangle((720, 120, 950, 420), fill=(120, 90, 80))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    image = image.resize(size)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf_text(content: bytes) -> str:
    """The strings drawn in a reportlab PDF (its page streams inflated), to read a letter."""
    import base64
    import re
    import zlib

    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\s*endstream", content, re.S):
        try:  # reportlab writes ASCII85 over Flate
            texts.append(zlib.decompress(base64.a85decode(stream, adobe=True)).decode("latin-1"))
        except (ValueError, zlib.error):
            continue
    return "\n".join(re.findall(r"\((.*?)\) Tj", "\n".join(texts)))


def awaiting_signature(unit: Unit, operator: Official, layanan: str = "domisili"):
    """A request's letter prepared and sent for signature by the operator."""
    from wadul.desa import services

    letter = services.prepare(request_letter(unit, layanan=layanan), actor=operator, via=Via.INBOX)
    return services.send_for_signature(letter, actor=operator, via=Via.INBOX)


def told_to_sign(letter) -> list[str]:
    """The WhatsApp numbers asked to sign `letter` (`setuju KODE`)."""
    from wadul.whatsapp.models import OutboundMessage

    return sorted(
        message.recipient
        for message in OutboundMessage.objects.all()
        if f"setuju {letter.sign_code}" in message.content.get("text", "")
    )
