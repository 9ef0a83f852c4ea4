"""Putting messages in the outbox. Sending them is `sender.py`'s job.

`deliver_case_message` is how the WhatsApp channel (`channel.py`) takes a case message: when
a case verb creates an outbound message, the outbox row is written in the same transaction,
and the sender is nudged after commit. What kind of message it is (an answer, the
acknowledgement, a rating request with buttons …) comes with it as a `Notice`.
An answer whose file is still being downloaded (an official's photo) is held, and goes out
with the file as one media message through `deliver_attachment`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import timezone

from wadul.cases import services as case_services
from wadul.cases.channels import Notice
from wadul.cases.models import Attachment, Case, Channel, Contact, ContactIdentity, Message
from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp import nudge
from wadul.whatsapp.models import OutboundMessage

Purpose = OutboundMessage.Purpose
Kind = OutboundMessage.Kind

# WhatsApp limits: template parameters must be short and single-line.
TEMPLATE_PARAM_CHARS = 900
# The thread text of a file sent without words, by attachment kind (Indonesian, as citizens
# and staff read it); never sent as a caption.
MEDIA_PLACEHOLDERS = {
    Attachment.Kind.IMAGE: "[foto]",
    Attachment.Kind.DOCUMENT: "[dokumen]",
    Attachment.Kind.AUDIO: "[pesan suara]",
    Attachment.Kind.VIDEO: "[video]",
}


def deliver_case_message(message: Message, notice: Notice) -> None:
    """Queue an outbound case message for WhatsApp (called inside the creating transaction)."""
    if notice.hold:  # `deliver_attachment` sends it with its file
        return
    case: Case = message.case
    destination = _destination(message, notice.address)
    if destination is None:
        return
    number, recipient = destination
    if notice.already_sent_id:
        now = timezone.now()
        OutboundMessage.objects.create(
            number=number,
            recipient=recipient[0],
            recipient_is_user_id=recipient[1],
            contact_id=case.contact_id,
            case=case,
            message=message,
            purpose=notice.purpose,
            kind=Kind.TEXT,
            content={"text": message.text},
            state=OutboundMessage.State.SENT,
            wamid=notice.already_sent_id,
            sent_at=message.created_at or now,
        )
        case_services.set_delivery(message, Message.Delivery.SENT, "", notice.already_sent_id)
        return
    params = notice.template_params
    if params is None:
        params = [case.tracking_number, message.text]
    content: dict[str, Any] = {
        "text": message.text,
        "template_params": [template_param(p) for p in params],
    }
    if notice.buttons:
        # Quick replies; outside the 24-hour window the template carries them as buttons.
        content["buttons"] = [{"id": b.id, "title": b.title} for b in notice.buttons]
        content["template_buttons"] = [b.id for b in notice.buttons]
    queue(
        number=number,
        recipient=recipient,
        contact=case.contact,
        case=case,
        message=message,
        purpose=notice.purpose,
        kind=Kind.BUTTONS if notice.buttons else Kind.TEXT,
        content=content,
    )


def deliver_attachment(message: Message, attachment: Attachment) -> None:
    """Queue a held answer with its file as one media message: the answer's words are the
    caption (none when they are only the placeholder)."""
    destination = _destination(message, None)
    if destination is None:
        return
    number, recipient = destination
    media_type = attachment.kind if attachment.kind in MEDIA_PLACEHOLDERS else "document"
    caption = "" if message.text in MEDIA_PLACEHOLDERS.values() else message.text
    words = f"{MEDIA_PLACEHOLDERS[media_type]} {caption}".strip()
    tracking_number = message.case.tracking_number
    queue(
        number=number,
        recipient=recipient,
        contact=message.case.contact,
        case=message.case,
        message=message,
        purpose=Purpose.ANSWER,
        kind=Kind.MEDIA,
        content={
            "text": message.text,
            "media_type": media_type,
            "caption": "" if media_type == Attachment.Kind.AUDIO else caption,
            "filename": attachment.original_name,
            "attachment": attachment.pk,
            # A template cannot carry the file (outside the 24-hour window, or after
            # 131047): the answer template with the placeholder and caption at least tells
            # the citizen that an answer with an attachment is waiting.
            "template_params": [template_param(tracking_number), template_param(words)],
        },
    )


def _destination(
    message: Message, recipient: tuple[str, bool] | None
) -> tuple[WhatsAppNumber, tuple[str, bool]] | None:
    """The case's number and the citizen's address; without them the message fails.

    A case from the portal's form has no number of its own: its answers go from the central
    number to the WhatsApp number the reporter gave, which the form promises (as a template,
    since the 24-hour window is usually closed). Without one there is nothing to deliver:
    the reporter follows the case on the portal."""
    case: Case = message.case
    number = case.channel_number
    recipient = recipient or (recipient_for(case.contact) if case.contact_id else None)
    if case.channel == Channel.WEB:
        number = number or WhatsAppNumber.central()
        if number is None or recipient is None:
            case_services.set_delivery(message, Message.Delivery.NOT_APPLICABLE)
            return None
    if number is None or recipient is None:
        case_services.set_delivery(
            message, Message.Delivery.FAILED, "No WhatsApp number or recipient for this case."
        )
        return None
    return number, recipient


def queue(
    *,
    number: WhatsAppNumber,
    recipient: tuple[str, bool],
    purpose: str,
    kind: str,
    content: dict[str, Any],
    contact: Contact | None = None,
    case: Case | None = None,
    message: Message | None = None,
) -> OutboundMessage:
    """Add one row to the outbox (inside the caller's transaction) and nudge the sender after
    commit. `recipient` is (wa_id or BSUID, is_user_id)."""
    row = OutboundMessage.objects.create(
        number=number,
        recipient=recipient[0],
        recipient_is_user_id=recipient[1],
        contact=contact,
        case=case,
        message=message,
        purpose=purpose,
        kind=kind,
        content=content,
    )
    nudge.kick_on_commit("send_outbox")
    return row


def queue_text(
    *,
    number: WhatsAppNumber,
    recipient: tuple[str, bool],
    text: str,
    purpose: str = Purpose.NOTICE,
    template_params: list[str] | None = None,
    contact: Contact | None = None,
) -> OutboundMessage:
    """A free-text message that belongs to no case thread (e.g. "no such case", or a message
    to an official). Outside the 24-hour window it goes as the purpose's template."""
    return queue(
        number=number,
        recipient=recipient,
        contact=contact,
        purpose=purpose,
        kind=Kind.TEXT,
        content={
            "text": text,
            "template_params": [template_param(p) for p in (template_params or [text])],
        },
    )


Receipt = tuple[WhatsAppNumber, str, tuple[str, bool]]  # number, wamid, recipient
_held_receipts: ContextVar[list[Receipt] | None] = ContextVar("whatsapp_receipts", default=None)


def queue_read_receipt(number: WhatsAppNumber, wamid: str, recipient: tuple[str, bool]) -> None:
    """Mark a message as read (inside `read_receipts_held`, once the block's caller queues
    the held ones)."""
    held = _held_receipts.get()
    if held is not None:
        held.append((number, wamid, recipient))
        return
    queue_read_receipts([(number, wamid, recipient)])


@contextmanager
def read_receipts_held() -> Iterator[list[Receipt]]:
    """Collect the read receipts asked for in the block instead of writing each; the caller
    passes them to `queue_read_receipts` (the worker: once per batch of deliveries, for the
    deliveries that were processed)."""
    held: list[Receipt] = []
    token = _held_receipts.set(held)
    try:
        yield held
    finally:
        _held_receipts.reset(token)


def queue_read_receipts(receipts: list[Receipt]) -> None:
    """Mark messages as read. Meta marks the earlier messages of a chat read too, so only the
    newest per chat is sent, and a receipt still waiting for the chat just moves on to it.
    One read for all of them, an update per chat whose receipt still waits, one insert."""
    newest: dict[tuple[int, str], Receipt] = {}
    for number, wamid, recipient in receipts:
        newest[(number.pk, recipient[0])] = (number, wamid, recipient)
    if not newest:
        return
    waiting = OutboundMessage.objects.filter(
        number_id__in={number_id for number_id, _ in newest},
        recipient__in={recipient for _, recipient in newest},
        kind=Kind.READ_RECEIPT,
        state=OutboundMessage.State.QUEUED,
    ).order_by()
    moved_keys = set()
    for pk, number_id, recipient in waiting.values_list("pk", "number_id", "recipient"):
        receipt = newest.get((number_id, recipient))
        if receipt is None:
            continue
        # Still queued (compare-and-set): a receipt the sender claimed meanwhile goes out as
        # it is, and this one is queued anew.
        queued = OutboundMessage.objects.filter(pk=pk, state=OutboundMessage.State.QUEUED)
        if queued.update(content={"message_id": receipt[1]}):
            moved_keys.add((number_id, recipient))
    new = [
        OutboundMessage(
            number=number,
            recipient=recipient[0],
            recipient_is_user_id=recipient[1],
            purpose=Purpose.READ_RECEIPT,
            kind=Kind.READ_RECEIPT,
            content={"message_id": wamid},
        )
        for key, (number, wamid, recipient) in newest.items()
        if key not in moved_keys
    ]
    if new:
        OutboundMessage.objects.bulk_create(new)
        nudge.kick_on_commit("send_outbox")


def recipient_for(contact: Contact | None) -> tuple[str, bool] | None:
    """Where to send: the phone-based wa_id when known, else the business-scoped user id."""
    if contact is None:
        return None
    ids = dict(
        contact.identities.filter(
            kind__in=[ContactIdentity.Kind.WA_ID, ContactIdentity.Kind.WA_USER_ID]
        ).values_list("kind", "value")
    )
    if ids.get(ContactIdentity.Kind.WA_ID):
        return ids[ContactIdentity.Kind.WA_ID], False
    if ids.get(ContactIdentity.Kind.WA_USER_ID):
        return ids[ContactIdentity.Kind.WA_USER_ID], True
    return None


def template_param(value: Any) -> str:
    text = " ".join(str(value).split())  # no newlines, tabs or runs of spaces
    if len(text) > TEMPLATE_PARAM_CHARS:
        text = text[: TEMPLATE_PARAM_CHARS - 1] + "…"
    return text or "-"
