"""Files a citizen sends on WhatsApp, over real HTTP from the simulator: images are stored
without their metadata, file names are not kept, and an image that cannot be cleaned is not
stored at all."""

from __future__ import annotations

import base64
import io
import logging

from PIL import Image

from wadul.cases.models import Case
from wadul.testing import bomb_bytes, jpeg_with_gps_bytes
from wadul.whatsapp.conftest import UNIT_PNID
from wadul.whatsapp.models import MediaDownload, ProviderCall

CITIZEN = "6281234500002"


def _send(simulator, settle, kind: str, content: bytes, mime: str, **media) -> Case:
    simulator.inbound(
        phone_number_id=UNIT_PNID, **{"from": CITIZEN}, type="text", text="Jalan berlubang"
    )
    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type=kind,
        media={"content_b64": base64.b64encode(content).decode(), "mime_type": mime, **media},
    )
    settle()
    return Case.objects.get()


def test_a_photo_from_whatsapp_loses_its_gps_position_and_author(simulator, settle, unit_number):
    sent = jpeg_with_gps_bytes()
    with Image.open(io.BytesIO(sent)) as original:
        assert original.getexif()  # the test photo does carry them
    case = _send(simulator, settle, "image", sent, "image/jpeg")
    attachment = case.attachments.get()
    with Image.open(attachment.file.open("rb")) as stored:
        assert not stored.getexif() and stored.size == (8, 8)


def test_a_document_keeps_no_file_name(simulator, settle, unit_number):
    case = _send(
        simulator,
        settle,
        "document",
        b"%PDF-1.4 surat",
        "application/pdf",
        filename="KTP Siti Rahayu.pdf",
    )
    attachment = case.attachments.get()
    assert "Siti" not in attachment.original_name and "Siti" not in attachment.file.name
    assert attachment.kind == "document"


def test_an_image_too_large_to_decode_is_not_stored(simulator, settle, unit_number):
    case = _send(simulator, settle, "image", bomb_bytes(), "image/png")
    assert not case.attachments.exists()
    row = MediaDownload.objects.get()
    assert row.state == MediaDownload.State.FAILED and "cleaned" in row.error


def test_no_signed_download_url_or_token_is_logged(
    simulator, settle, unit_number, caplog, settings
):
    caplog.set_level(logging.INFO)
    _send(simulator, settle, "image", jpeg_with_gps_bytes(), "image/jpeg")
    assert Case.objects.get().attachments.exists()
    assert "hash=" not in caplog.text and settings.WHATSAPP_ACCESS_TOKEN not in caplog.text
    # Nor in the provider-call log the admin shows.
    calls = " ".join(ProviderCall.objects.values_list("url", flat=True))
    assert "attachments" in calls and "hash=" not in calls
