"""One-time codes (`wadul.core.codes`) go out on WhatsApp from the central number."""

from __future__ import annotations

from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp.outbound import outbox


def send_code(wa_id: str, text: str) -> bool:
    number = WhatsAppNumber.central()
    if number is None:
        return False
    outbox.queue_text(
        number=number, recipient=(wa_id, False), text=text, purpose=outbox.Purpose.NOTICE
    )
    return True
