"""A citizen's WhatsApp message, handed to the conversation core (worker side, inside a
transaction).

Here only what is WhatsApp's own: each message is recorded once by its wamid, officials'
messages go to the relay first, the sender becomes a contact, every
message is marked as read, and photos and voice notes are downloaded once the core knows
their case. What the message means for a case is the core's business
(`wadul.conversation.core`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from wadul.cases.models import Case, Channel, Contact, Message
from wadul.conversation import core
from wadul.conversation.messages import Entry, Inbound, Location
from wadul.conversation.models import IntakeSession
from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp import services as whatsapp_services
from wadul.whatsapp.channel import Address
from wadul.whatsapp.models import InboundMessage, WebhookDelivery
from wadul.whatsapp.outbound import media, outbox
from wadul.whatsapp.relay import services as relay
from wadul.whatsapp.webhook import parser


def handle(
    number: WhatsAppNumber, message: parser.InboundMessage, delivery: WebhookDelivery
) -> str:
    """Apply one inbound message; returns what happened (stored on its InboundMessage)."""
    at = _when(message.timestamp)
    record = _record_once(number, message, delivery, at)
    if record is None:
        return "duplicate"
    # An official writing from their own phone is the relay's, not a citizen's.
    if relay.claim_inbound(number, message, at):
        return _finish(record, "handled_elsewhere")
    if not message.sender:
        return _finish(record, "no_sender")
    contact = whatsapp_services.find_or_create_contact(message.sender)
    record.contact = contact
    outbox.queue_read_receipt(number, message.wamid, _recipient(message.sender))
    result = core.receive(as_inbound(number, message, contact, at))
    record.case, record.message = result.case, result.message
    if message.media is not None and result.case is not None and result.outcome in _WITH_FILE:
        media.queue(record, result.case, result.message, message.media)
    if result.outcome == "opened" and result.case is not None:
        _queue_intake_files(number, contact, result.case, result.message)
    return _finish(record, result.outcome)


def _queue_intake_files(
    number: WhatsAppNumber, contact: Contact, case: Case, message: Message | None
) -> None:
    # The photos a citizen sent as intake answers (a KTP, a KK) arrived before their case
    # existed: they join it now that the intake opened it.
    session = IntakeSession.objects.filter(case=case).only("started_at").first()
    if session is None:
        return
    answers = InboundMessage.objects.filter(
        number=number,
        contact=contact,
        outcome="intake_answered",
        case__isnull=True,
        sent_at__gte=session.started_at,
    ).exclude(type="text")
    for row in answers:
        parsed = parser.parse_message(row.raw)
        if parsed is not None and parsed.media is not None:
            media.queue(row, case, message, parsed.media)
            row.case = case
            row.save(update_fields=["case"])


# Outcomes whose message went into a case's thread (its file belongs there too).
_WITH_FILE = frozenset({"opened", "appended", "reopened"})


def as_inbound(
    number: WhatsAppNumber, message: parser.InboundMessage, contact: Contact, at: datetime
) -> Inbound:
    """The core's view of a WhatsApp message."""
    location = None
    if message.location is not None:
        location = Location(
            latitude=message.location.latitude,
            longitude=message.location.longitude,
            name=message.location.name or "",
            address=message.location.address or "",
        )
    unsupported = ""
    if message.type in ("unsupported", "unknown") or not _has_content(message):
        unsupported = message.unsupported_type or message.type
    return Inbound(
        entry=Entry(
            channel=Channel.WHATSAPP,
            number=number,
            unit=None if number.is_central else number.unit,
        ),
        contact=contact,
        address=Address(number, _recipient_for(contact, message.sender), contact),
        at=at,
        text=describe(message),
        external_id=message.wamid,
        location=location,
        has_file=message.media is not None,
        file_type=message.media.mime_type if message.media is not None else "",
        reply_id=message.reply.id if message.reply is not None else "",
        unsupported=unsupported,
        reaction=message.type == "reaction",
        form=message.type,
    )


def _record_once(
    number: WhatsAppNumber,
    message: parser.InboundMessage,
    delivery: WebhookDelivery,
    at: datetime,
) -> InboundMessage | None:
    # The unique wamid decides: a duplicate (even twice in one POST, or two workers at once)
    # fails here and changes nothing.
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                wamid=message.wamid[:200],
                delivery=delivery,
                number=number,
                type=message.type[:40],
                sent_at=at,
                raw=message.raw,
            )
    except IntegrityError:
        if InboundMessage.objects.filter(wamid=message.wamid[:200]).exists():
            return None
        # Not a duplicate (e.g. a payload the JSON column refuses, 1e999): the delivery
        # must be flagged for replay, never marked processed without a record.
        raise


def _finish(record: InboundMessage, outcome: str) -> str:
    record.outcome = outcome
    record.save(update_fields=["outcome", "contact", "case", "message"])
    return outcome


def describe(message: parser.InboundMessage) -> str:
    """The thread text for a message (staff read it in the inbox)."""
    parts = [message.text] if message.text else []
    if message.location is not None:
        place = ", ".join(p for p in (message.location.name, message.location.address) if p)
        coordinates = f"{message.location.latitude:.6f}, {message.location.longitude:.6f}"
        parts.append(f"[lokasi] {place} ({coordinates})" if place else f"[lokasi] {coordinates}")
    for card in message.shared_contacts:
        parts.append(f"[kontak] {card.name} {' '.join(card.phones)}".strip())
    if message.order is not None and not message.text:
        parts.append("[pesanan]")
    if message.context is not None and (
        message.context.forwarded or message.context.frequently_forwarded
    ):
        parts.insert(0, "[diteruskan]")
    return "\n".join(parts)


def _has_content(message: parser.InboundMessage) -> bool:
    return bool(
        message.text
        or message.media
        or message.location
        or message.shared_contacts
        or message.order is not None
    )


def _recipient_for(contact: Contact, identity: parser.Identity) -> tuple[str, bool]:
    if identity.wa_id:
        return identity.wa_id, False
    return outbox.recipient_for(contact) or (identity.user_id, True)


def _recipient(identity: parser.Identity) -> tuple[str, bool]:
    return (identity.wa_id, False) if identity.wa_id else (identity.user_id, True)


def _when(timestamp: datetime | None) -> datetime:
    """The message's own time (WhatsApp's clock), never in the future."""
    now = timezone.now()
    if timestamp is None or timestamp > now:
        return now
    return timestamp
