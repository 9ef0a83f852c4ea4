"""A citizen and an official, end to end over real HTTP: simulator → webhook → worker →
cases → outbox → Graph API (the simulator) → status webhooks → delivery ticks."""

from __future__ import annotations

import base64
import hashlib
import io
import time

import pytest
from PIL import Image

from wadul.cases import services
from wadul.cases.models import Case, Message, Status, Via
from wadul.whatsapp.conftest import UNIT_PNID
from wadul.whatsapp.models import InboundMessage, MediaDownload, OutboundMessage

CITIZEN = "6281234500001"
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="
)


def conversation(simulator, user=CITIZEN) -> list[dict]:
    return simulator.control("conversations", phone_number_id=UNIT_PNID, user=user)["messages"]


def outbound(simulator, user=CITIZEN) -> list[dict]:
    return [m for m in conversation(simulator, user) if m["direction"] == "outbound"]


@pytest.fixture
def number(unit_number):
    return unit_number


def test_complaint_with_photo_and_pin_gets_a_tracking_number_and_an_answer_with_ticks(
    simulator, settle, number, official_a
):
    simulator.configure(auto_read_after_ms=20)
    sent = simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        name="Siti",
        type="text",
        text="Jalan di depan SD Kemiren berlubang",
    )
    assert sent["webhook_status"] == 200
    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="image",
        media={
            "content_b64": base64.b64encode(PHOTO).decode(),
            "mime_type": "image/png",
            "caption": "Fotonya",
        },
    )
    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="location",
        location={"latitude": -8.2192, "longitude": 114.3691, "name": "SD Kemiren"},
    )
    settle()

    case = Case.objects.get()
    assert case.status == Status.ASSIGNED
    assert (case.latitude, case.longitude) == (-8.2192, 114.3691)
    attachment = case.attachments.get()
    # Stored re-encoded without metadata (wadul.core.images): the same pixels, new bytes.
    stored = attachment.file.read()
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    with Image.open(io.BytesIO(stored)) as image, Image.open(io.BytesIO(PHOTO)) as sent:
        assert image.convert("RGB").tobytes() == sent.convert("RGB").tobytes()
    assert MediaDownload.objects.get().state == MediaDownload.State.DONE

    ack, pin = outbound(simulator)  # the pin is acknowledged too (issue 17)
    assert case.tracking_number in ack["text"] and ack["type"] == "text"
    assert "Privasi" in ack["text"]
    assert f"Lokasi untuk laporan *{case.tracking_number}* kami catat" in pin["text"]
    reads = simulator.control("reads")["reads"]
    assert reads and all(r["phone_number_id"] == UNIT_PNID for r in reads)
    assert all(
        m["read_by_business"] for m in conversation(simulator) if m["direction"] == "inbound"
    )

    answer = services.answer(case, text="Besok tim kami perbaiki.", actor=official_a, via=Via.INBOX)
    settle()
    answers = [m for m in outbound(simulator) if "Besok tim" in m["text"]]
    assert len(answers) == 1 and answers[0]["type"] == "text"
    assert answers[0]["status"] == "read"
    answer.refresh_from_db()
    assert answer.delivery == Message.Delivery.READ
    assert answer.external_id == answers[0]["wamid"]
    row = OutboundMessage.objects.get(message=answer)
    assert row.sent_at and row.delivered_at and row.read_at


def test_status_command_and_rating_over_the_wire(simulator, settle, number, official_a):
    simulator.inbound(
        phone_number_id=UNIT_PNID, **{"from": CITIZEN}, type="text", text="Lampu mati"
    )
    settle()
    case = Case.objects.get()
    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="text",
        text=f"status {case.tracking_number}",
    )
    settle()
    assert "Status: *didisposisikan*" in outbound(simulator)[-1]["text"]

    services.resolve(case, actor=official_a, via=Via.INBOX)
    settle()
    question = outbound(simulator)[-1]
    assert question["type"] == "interactive"
    buttons = question["content"]["action"]["buttons"]
    assert [b["reply"]["title"] for b in buttons] == ["Puas", "Cukup", "Tidak puas"]
    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="interactive",
        interactive_type="button_reply",
        reply=buttons[0]["reply"],
        context_id=question["wamid"],
    )
    settle()
    case.refresh_from_db()
    assert case.rating == 5
    assert "Terima kasih atas penilaian" in outbound(simulator)[-1]["text"]


def test_a_citizen_answered_after_25_hours_gets_the_template(simulator, settle, number, official_a):
    day_and_an_hour_ago = int(time.time()) - 25 * 3600
    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="text",
        text="Saluran air tersumbat",
        timestamp=day_and_an_hour_ago,
    )
    settle()
    case = Case.objects.get()
    services.answer(case, text="Sudah kami bersihkan.", actor=official_a, via=Via.INBOX)
    settle()
    sent = outbound(simulator)
    assert all(m["type"] == "template" for m in sent)
    answer = sent[-1]
    assert answer["template_name"] == "wadul_jawaban"
    assert "Sudah kami bersihkan." in answer["text"] and case.tracking_number in answer["text"]
    assert answer["status"] in ("sent", "delivered")
    message = case.messages.get(text="Sudah kami bersihkan.")
    assert message.delivery in (Message.Delivery.SENT, Message.Delivery.DELIVERED)


def test_window_closed_on_metas_side_falls_back_to_the_template(
    simulator, settle, number, official_a
):
    """Our clock says the window is open, Meta's says closed (131047, async): the free-text
    send fails by status webhook and the template goes out instead."""
    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="text",
        text="Pohon tumbang",
        timestamp=int(time.time()) - 25 * 3600,
    )
    settle()
    case = Case.objects.get()
    # Wadul saw a recent message the simulator does not know about (e.g. clock skew).

    InboundMessage.objects.update(sent_at=case.created_at.replace(year=2100))
    services.answer(case, text="Tim menuju lokasi.", actor=official_a, via=Via.INBOX)
    settle()
    rows = list(OutboundMessage.objects.filter(case=case, purpose="answer").order_by("id"))
    assert [(r.kind, r.state) for r in rows][0] == ("text", "failed")
    assert rows[0].error_code == 131047
    assert rows[1].kind == "template" and rows[1].replaces == rows[0]
    assert rows[1].state in ("sent", "delivered")
    message = case.messages.get(text="Tim menuju lokasi.")
    assert message.delivery in (Message.Delivery.SENT, Message.Delivery.DELIVERED)
    templates = [m for m in outbound(simulator) if m["template_name"] == "wadul_jawaban"]
    assert len(templates) == 1


def test_a_download_damaged_in_transit_fails_its_checksum_and_is_fetched_again(
    simulator, settle, number, caplog
):
    simulator.configure(corrupt_downloads=1)
    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="image",
        media={"content_b64": base64.b64encode(PHOTO).decode(), "mime_type": "image/png"},
    )
    settle()
    download = MediaDownload.objects.get()
    assert download.state == MediaDownload.State.DONE
    assert download.attempts == 2
    assert f"media {download.media_id}: checksum mismatch" in caplog.text
    attachment = Case.objects.get().attachments.get()
    with Image.open(attachment.file.open("rb")) as image, Image.open(io.BytesIO(PHOTO)) as sent:
        assert image.convert("RGB").tobytes() == sent.convert("RGB").tobytes()


def test_a_greeting_gets_a_menu_list_and_the_chosen_report_opens_a_case(simulator, settle, number):
    simulator.inbound(phone_number_id=UNIT_PNID, **{"from": CITIZEN}, type="text", text="Halo min")
    settle()
    assert not Case.objects.exists()
    (menu,) = outbound(simulator)
    assert menu["type"] == "interactive" and menu["content"]["type"] == "list"
    rows = menu["content"]["action"]["sections"][0]["rows"]
    ids = [row["id"] for row in rows]  # other apps' kinds between these two
    assert ids[0] == "kind:complaint" and ids[-1] == "menu:status"

    simulator.inbound(
        phone_number_id=UNIT_PNID,
        **{"from": CITIZEN},
        type="interactive",
        interactive_type="list_reply",
        reply={"id": "kind:complaint", "title": rows[0]["title"]},
    )
    simulator.inbound(
        phone_number_id=UNIT_PNID, **{"from": CITIZEN}, type="text", text="Lampu mati"
    )
    settle()
    case = Case.objects.get()
    assert case.description == "Lampu mati" and case.status == Status.ASSIGNED
    assert case.tracking_number in outbound(simulator)[-1]["text"]
