"""Serta merta announcements on WhatsApp: "langganan info" subscribes the citizen on the
number they wrote to, "berhenti info" ends it, and each serta merta DIP item goes to every
subscriber as the approved `serta_merta` template (a broadcast is outside any 24-hour
window, so always the template)."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse

from wadul.conversation.messages import Inbound
from wadul.ppid import services as ppid
from wadul.ppid.models import DipItem, Subscriber
from wadul.whatsapp.channel import WHATSAPP, Address
from wadul.whatsapp.models import OutboundMessage
from wadul.whatsapp.outbound import outbox

SUBSCRIBE = re.compile(r"^\s*langganan\s+info\s*$", re.IGNORECASE)
UNSUBSCRIBE = re.compile(r"^\s*berhenti\s+info\s*$", re.IGNORECASE)
TEMPLATE = "serta_merta"


def command(inbound: Inbound) -> str | None:
    """The conversation's command hook (`conversation.core.COMMANDS`)."""
    if inbound.entry.channel != WHATSAPP.code or inbound.contact is None:
        return None
    if SUBSCRIBE.match(inbound.text):
        number = inbound.address.number if isinstance(inbound.address, Address) else None
        ppid.subscribe(inbound.contact, channel=WHATSAPP.code, number=number, at=inbound.at)
        return (
            "Anda berlangganan informasi serta merta (bencana, wabah, gangguan layanan "
            "terencana). Ketik *berhenti info* untuk berhenti."
        )
    if UNSUBSCRIBE.match(inbound.text):
        ppid.unsubscribe(inbound.contact)
        return "Langganan informasi serta merta Anda dihentikan."
    return None


def announce(item: DipItem, subscribers: list[Subscriber]) -> int:
    """Queue the item to each subscriber as the `serta_merta` template (`ppid.ANNOUNCERS`)."""
    link = settings.SITE_URL.rstrip("/") + reverse("portal:informasi") + "?kategori=serta_merta"
    queued = 0
    for subscriber in subscribers:
        recipient = outbox.recipient_for(subscriber.contact)
        if recipient is None or subscriber.number is None:
            continue
        outbox.queue(
            number=subscriber.number,
            recipient=recipient,
            contact=subscriber.contact,
            purpose=OutboundMessage.Purpose.NOTICE,
            kind=OutboundMessage.Kind.TEMPLATE,
            content={
                "text": f"Informasi serta merta: {item.summary}\n{link}",
                "template_params": [outbox.template_param(item.summary), link],
                "template_purpose": TEMPLATE,
            },
        )
        queued += 1
    return queued
