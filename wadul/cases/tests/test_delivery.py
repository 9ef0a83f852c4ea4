"""`services.set_delivery`: how far an outbound message has come, whatever the order of the
channel's reports."""

from __future__ import annotations

from wadul.cases import services
from wadul.cases.models import Message, Via

D = Message.Delivery


def _answer(case_a, official_a) -> Message:
    message = services.answer(case_a, text="Sudah kami tangani.", actor=official_a, via=Via.INBOX)
    message.refresh_from_db()
    return message


def test_a_late_delivered_never_overwrites_read(case_a, official_a):
    message = _answer(case_a, official_a)
    assert services.set_delivery(message, D.READ, external_id="wamid.R1")
    assert not services.set_delivery(message, D.DELIVERED)
    message.refresh_from_db()
    assert (message.delivery, message.external_id) == (D.READ, "wamid.R1")


def test_a_failure_counts_only_before_delivery(case_a, official_a):
    message = _answer(case_a, official_a)
    services.set_delivery(message, D.DELIVERED)
    assert not services.set_delivery(message, D.FAILED, "131026 undeliverable")
    message.refresh_from_db()
    assert (message.delivery, message.delivery_error) == (D.DELIVERED, "")


def test_a_resend_after_a_failure_moves_on_and_clears_the_error(case_a, official_a):
    message = _answer(case_a, official_a)
    services.set_delivery(message, D.SENT, external_id="wamid.A")
    services.set_delivery(message, D.FAILED, "window closed")
    assert services.set_delivery(message, D.PENDING)  # the template resend is queued
    assert services.set_delivery(message, D.SENT, external_id="wamid.B")
    message.refresh_from_db()
    assert (message.delivery, message.delivery_error, message.external_id) == (
        D.SENT,
        "",
        "wamid.B",
    )
