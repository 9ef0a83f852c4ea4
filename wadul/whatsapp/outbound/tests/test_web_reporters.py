"""Reporters from the portal's form follow their case on WhatsApp when they gave a number."""

from __future__ import annotations

import re

from wadul.cases import services
from wadul.cases.models import CaseType, Message, Via, Visibility
from wadul.portal.services import confirm_whatsapp, submit_report
from wadul.whatsapp.conftest import CENTRAL_PNID
from wadul.whatsapp.models import OutboundMessage

REPORTER = "6281234500055"


def report(wa_number: str = ""):
    return submit_report(
        type=CaseType.COMPLAINT,
        text="Lampu PJU di Jalan Gajah Mada mati sejak seminggu",
        visibility=Visibility.PUBLIC,
        name="Dewi",
        wa_number=wa_number,
    )


def test_an_answer_reaches_the_number_given_on_the_form_as_a_template(
    simulator, settle, central_number, unit_a, official_a, operator
):
    case = report(REPORTER)
    settle()
    # The reporter types back the code the form's number received on WhatsApp.
    code_row = OutboundMessage.objects.filter(recipient=REPORTER).order_by("id").first()
    confirm_whatsapp(case, re.search(r"\b(\d{6})\b", code_row.content["text"]).group(1))
    services.assign(case, unit=unit_a, actor=operator, via=Via.INBOX)
    message = services.answer(case, text="Lampu diganti besok.", actor=official_a, via=Via.INBOX)
    settle()
    row = OutboundMessage.objects.get(message=message)
    assert (row.recipient, row.number.phone_number_id) == (REPORTER, CENTRAL_PNID)
    # The reporter never wrote to the number: the 24-hour window is closed.
    assert row.kind == OutboundMessage.Kind.TEMPLATE
    assert row.state in (OutboundMessage.State.SENT, OutboundMessage.State.DELIVERED)
    chat = simulator.control("conversations", phone_number_id=CENTRAL_PNID, user=REPORTER)
    outbound = [m for m in chat["messages"] if m["direction"] == "outbound"]
    (received,) = [m for m in outbound if "Lampu diganti besok." in m["text"]]
    # Once the code was confirmed, the acknowledgement and later the unit came too (issue 17).
    others = [m for m in outbound if m is not received]
    assert any(case.tracking_number in m["text"] for m in others)
    assert any("Dinas PU" in m["text"] for m in others)
    assert case.tracking_number in received["text"] and "Lampu diganti besok." in received["text"]
    message.refresh_from_db()
    assert message.delivery in (Message.Delivery.SENT, Message.Delivery.DELIVERED)


def test_without_a_number_nothing_is_sent_and_nothing_fails(
    central_number, unit_a, official_a, operator
):
    case = report()
    services.assign(case, unit=unit_a, actor=operator, via=Via.INBOX)
    message = services.answer(case, text="Lampu diganti besok.", actor=official_a, via=Via.INBOX)
    message.refresh_from_db()
    assert message.delivery == Message.Delivery.NOT_APPLICABLE
    assert not OutboundMessage.objects.exists()
