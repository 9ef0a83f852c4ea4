"""A village letter end to end over real HTTP against the simulator: a citizen asks Desa
Kemiren's number for a domisili letter with KTP and KK photos → the operator asks for a
correction → the citizen fixes it → the kepala desa approves from his own WhatsApp → the
signed PDF arrives as a WhatsApp document → /verifikasi/<code>/ confirms it, a tampered copy
is detected → the photos are gone after the retention time."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wadul import testing
from wadul.cases.models import Attachment, Case, Status, Via
from wadul.desa import catalogue
from wadul.desa import services as letters
from wadul.desa.models import Letter
from wadul.organisation.models import Official, Unit
from wadul.whatsapp.conftest import UNIT_PNID
from wadul.whatsapp.relay.tests.test_relay_over_whatsapp import (
    PHOTO,
    from_business,
    send_file,
    uploaded,
    write,
)

CITIZEN = "6281234500077"
KEPALA = "6281300001111"


@pytest.fixture
def desa(regency):
    kecamatan = testing.create_unit(
        "Kecamatan Glagah", kind=Unit.Kind.KECAMATAN, parent=regency, code="KEC-GLAGAH"
    )
    unit = testing.create_unit(
        "Desa Kemiren", kind=Unit.Kind.DESA, parent=kecamatan, code="DS-KEMIREN"
    )
    catalogue.install(unit)
    testing.create_number(unit, UNIT_PNID)
    return unit


@pytest.fixture
def people(desa):
    operator = testing.create_official("dewi", unit=desa)
    kepala = testing.create_official(
        "slamet",
        unit=desa,
        role=Official.Role.HEAD,
        last_name="Riyadi",
        position="Kepala Desa Kemiren",
        whatsapp_number=KEPALA,
    )
    return operator, kepala


def texts(simulator, user) -> list[str]:
    return [m["text"] for m in from_business(simulator, user)]


def test_a_domisili_letter_from_request_to_verification(simulator, settle, client, desa, people):
    operator, kepala = people
    write(simulator, CITIZEN, "Saya mau minta surat keterangan domisili")
    settle()
    assert "Surat apa" in texts(simulator, CITIZEN)[-1]
    for answer in (
        "domisili",
        "Siti Rahayu",
        "3510011708900001",  # a wrong NIK the operator will notice (the day of a man)
        "3510010101100002",
        "Dusun Krajan RT 01/RW 02",
        "melamar pekerjaan",
    ):
        write(simulator, CITIZEN, answer)
        settle()
    send_file(simulator, CITIZEN, "image", PHOTO, "image/png")  # KTP
    settle()
    send_file(simulator, CITIZEN, "image", PHOTO, "image/png")  # KK
    settle()
    assert "Balas *ya*" in texts(simulator, CITIZEN)[-1]
    write(simulator, CITIZEN, "ya")
    settle()
    case = Case.objects.get(type="village_letter")
    said = "\n".join(texts(simulator, CITIZEN))
    assert case.tracking_number in said and "Target selesai: 8 jam kerja" in said
    assert case.attachments.filter(kind=Attachment.Kind.IMAGE).count() == 2  # KTP and KK

    # The operator asks for a correction: the clock pauses until the citizen answers.
    letters.ask_correction(
        case,
        text="NIK tidak sesuai foto KTP, mohon tulis ulang NIK Anda.",
        actor=operator,
        via=Via.INBOX,
    )
    settle()
    assert "NIK tidak sesuai" in texts(simulator, CITIZEN)[-1]
    write(simulator, CITIZEN, "Maaf, NIK saya 3510015708900001")
    settle()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    letters.correct_details(case, values={"nik": "3510015708900001"}, actor=operator, via=Via.INBOX)
    letter = letters.prepare(case, actor=operator, via=Via.INBOX)
    letters.send_for_signature(letter, actor=operator, via=Via.INBOX)
    settle()
    asked = texts(simulator, KEPALA)[-1]
    assert f"setuju {letter.sign_code}" in asked and "3510015708900001" in asked

    # The kepala desa signs from his own phone.
    write(simulator, KEPALA, f"setuju {letter.sign_code}")
    settle()
    letter.refresh_from_db()
    assert letter.state == Letter.State.SIGNED and letter.signer == kepala
    assert f"nomor {letter.number}" in texts(simulator, KEPALA)[-1]
    (document,) = [m for m in from_business(simulator, CITIZEN) if m["type"] == "document"]
    pdf = uploaded(simulator, document)
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    # Then the rating, as for every resolved case.
    assert any("rate:" in json.dumps(m["content"]) for m in from_business(simulator, CITIZEN))
    signed = case.events.get(kind="letter_signed")
    assert (signed.actor, signed.via) == (kepala, Via.RELAY)

    # The QR's page confirms it, with only a masked name; a changed file is caught.
    page = client.get(f"/verifikasi/{letter.verification_code}/").content.decode()
    assert "SAH" in page and letter.number in page and "Slamet Riyadi" in page
    assert "S*** R*****" in page and "Siti Rahayu" not in page and "3510015708900001" not in page
    same = client.post(
        f"/verifikasi/{letter.verification_code}/",
        {"pdf": SimpleUploadedFile("surat.pdf", pdf, "application/pdf")},
    )
    assert "sama persis" in same.content.decode()
    tampered = pdf.replace(b"/Title (", b"/Title (X")  # one changed byte is enough
    assert tampered != pdf
    altered = client.post(
        f"/verifikasi/{letter.verification_code}/",
        {"pdf": SimpleUploadedFile("surat.pdf", tampered, "application/pdf")},
    )
    assert "BERBEDA" in altered.content.decode()

    # After the retention time the identity photos are gone, and the log says so.
    assert letters.delete_identity_photos(now=letter.issued_at + timedelta(days=31)) == 2
    assert not case.attachments.filter(kind=Attachment.Kind.IMAGE).exists()
    assert case.events.get(kind="identity_photos_deleted").data["count"] == 2
