"""The citizen's copy over WhatsApp carries, beside the PDF and JSON bundle, each file the
person sent (as its own WhatsApp message) — never the file of another reporter of a merged
case, nor what officials sent."""

from __future__ import annotations

from django.core.files.base import ContentFile

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Message, Via
from wadul.whatsapp.conftest import UNIT_PNID
from wadul.whatsapp.tests.test_personal_data_over_whatsapp import CITIZEN, dpo, outbound, siti

__all__ = ["dpo", "siti"]  # fixtures shared with the copy's own end-to-end test

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _file(case: Case, name: str, message: Message | None, *, actor=None, kind="image/png"):
    content = PNG if kind == "image/png" else b"%PDF-1.4 surat"
    return services.add_attachment(
        case,
        file=ContentFile(content, name=name),
        content_type=kind,
        actor=actor,
        via=Via.WHATSAPP,
        message=message,
        original_name=name,
    )


def test_the_copy_brings_her_own_files_and_nobody_elses(
    simulator, settle, unit_number, dpo, siti, unit_a, official_a, client
):
    own = testing.create_case(unit=unit_a, contact=siti, text="Jalan berlubang depan rumah")
    _file(own, "jalan-berlubang.png", own.messages.get(direction=Message.Direction.INBOUND))
    budi = testing.create_case(
        unit=unit_a, contact=testing.create_contact("Budi Hartono"), text="Jalan berlubang juga"
    )
    _file(budi, "foto-budi.png", budi.messages.get(direction=Message.Direction.INBOUND))
    services.mark_duplicate(budi, of=own, actor=official_a, via=Via.INBOX)
    reply = services.answer(own, text="Surat jawaban", actor=official_a, via=Via.INBOX)
    _file(own, "surat-dinas.pdf", reply, actor=official_a, kind="application/pdf")

    for text in ("data saya", "1"):
        simulator.inbound(phone_number_id=UNIT_PNID, **{"from": CITIZEN}, type="text", text=text)
        settle()
    request = Case.objects.get(type="personal_data")
    testing.login(client, dpo)
    client.post(f"/inbox/privasi/kasus/{request.tracking_number}/", {"action": "send_copy"})
    settle()

    media = [m for m in outbound(simulator) if m["type"] in {"document", "image"}]
    assert {m["status"] for m in media} == {"delivered"}
    assert sorted(m["content"].get("filename") or m["type"] for m in media) == [
        "data-pribadi.json",
        "data-pribadi.pdf",
        "image",
    ]
    [photo] = [m for m in media if m["type"] == "image"]
    assert own.tracking_number in photo["content"]["caption"]
