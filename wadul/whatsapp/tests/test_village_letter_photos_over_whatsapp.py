"""A village letter's photo question over real HTTP against the simulator: a PDF or a Word
file sent where the KTP photo is asked (WhatsApp sends it as a `document` with its media
type) is refused in Indonesian, the question is asked again, and every answer given so far
is kept; a photo sent as a document (image/jpeg) is a photo."""

from __future__ import annotations

from wadul.cases.models import Attachment, Case
from wadul.conversation.models import IntakeSession
from wadul.whatsapp.relay.tests.test_relay_over_whatsapp import LETTER, PHOTO, send_file, write
from wadul.whatsapp.tests.test_village_letter_over_whatsapp import CITIZEN, desa, texts

__all__ = ["desa"]  # the fixture

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_a_document_is_not_a_ktp_photo(simulator, settle, desa):
    write(simulator, CITIZEN, "Saya mau minta surat keterangan domisili")
    settle()
    for answer in (
        "domisili",
        "Siti Rahayu",
        "3510015708900001",
        "3510010101100002",
        "Dusun Krajan RT 01/RW 02",
        "melamar pekerjaan",
    ):
        write(simulator, CITIZEN, answer)
        settle()
    assert "Kirim Foto KTP" in texts(simulator, CITIZEN)[-1]
    session = IntakeSession.objects.get(contact__identities__value=CITIZEN)
    step = session.step

    send_file(simulator, CITIZEN, "document", LETTER, "application/pdf", filename="ktp.pdf")
    settle()
    refused = texts(simulator, CITIZEN)[-1]
    assert "Berkas ini bukan foto" in refused and "Kirim Foto KTP" in refused
    send_file(simulator, CITIZEN, "document", b"PK\x03\x04 word", DOCX, filename="ktp.docx")
    settle()
    assert "Berkas ini bukan foto" in texts(simulator, CITIZEN)[-1]
    session.refresh_from_db()
    assert session.step == step  # still the KTP question
    assert session.answers["nik"] == "3510015708900001"  # nothing typed before is lost

    send_file(simulator, CITIZEN, "document", PHOTO, "image/jpeg", filename="ktp.jpg")
    settle()
    assert "Kirim Foto Kartu Keluarga" in texts(simulator, CITIZEN)[-1]
    send_file(simulator, CITIZEN, "image", PHOTO, "image/png")
    settle()
    write(simulator, CITIZEN, "ya")
    settle()
    case = Case.objects.get(type="village_letter")
    assert case.details["nama"] == "Siti Rahayu"
    # Only the photo and the image went to the case, not the refused PDF and Word file.
    assert case.attachments.count() == 2
    assert not case.attachments.filter(content_type__in=["application/pdf", DOCX]).exists()
    assert case.attachments.filter(kind=Attachment.Kind.IMAGE).count() >= 1
