"""Delivery state from status webhooks: sent → delivered → read, or failed with the reason.

Statuses arrive in any order, twice, and sometimes before the sender has recorded the send.
So every status is stored once (unique wamid + status), matched to its outbox row by the
idempotency key we sent as `biz_opaque_callback_data` (or by wamid), and applied by rank:
a row only moves forward, and `failed` only counts before delivery.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp.models import MessageStatus, OutboundMessage
from wadul.whatsapp.outbound import outcomes

if TYPE_CHECKING:  # the payload's types only: the webhook's parser is not run from here
    from wadul.whatsapp.webhook import parser

State = OutboundMessage.State
RANK = {
    State.QUEUED: 0,
    State.SENDING: 0,
    State.SENT: 1,
    State.DELIVERED: 2,
    State.READ: 3,
}
STATUS_STATE = {
    "sent": State.SENT,
    "delivered": State.DELIVERED,
    "read": State.READ,
    "played": State.READ,
}


def handle(number: WhatsAppNumber, update: parser.StatusUpdate) -> str:
    """Store one status webhook (once) and apply it to the outbox row it belongs to."""
    error = update.errors[0] if update.errors else None
    try:
        with transaction.atomic():
            status = MessageStatus.objects.create(
                wamid=update.wamid[:200],
                status=update.status[:20],
                at=update.timestamp or timezone.now(),
                recipient=(update.recipient.wa_id or update.recipient.user_id)[:200],
                callback_data=update.callback_data[:512],
                error_code=error.code if error else None,
                error_detail=error.describe()[:500] if error else "",
                raw=update.raw,
            )
    except IntegrityError:
        return "duplicate"
    row = _row_for(status)
    if row is None:
        return "unmatched"  # kept; the send, when recorded, picks it up
    apply(row, status)
    return "applied"


def _row_for(status: MessageStatus) -> OutboundMessage | None:
    rows = OutboundMessage.objects.select_for_update()
    key = _uuid(status.callback_data)
    if key is not None:
        row = rows.filter(idempotency_key=key).first()
        if row is not None:
            return row
    return rows.filter(wamid=status.wamid).first()


def apply(row: OutboundMessage, status: MessageStatus) -> None:
    """Move an outbox row forward by one stored status (inside a transaction)."""
    fields: dict = {}
    taken = OutboundMessage.objects.filter(wamid=status.wamid).exclude(pk=row.pk)
    if not row.wamid and status.wamid and not taken.exists():
        fields["wamid"] = status.wamid
    new_state = STATUS_STATE.get(status.status)
    if new_state is not None:
        stamp = {State.SENT: "sent_at", State.DELIVERED: "delivered_at", State.READ: "read_at"}
        for state, name in stamp.items():
            if RANK[new_state] >= RANK[state] and getattr(row, name) is None:
                fields[name] = status.at
        if row.state == State.FAILED:
            # Delivered or read beats an earlier failure report: it did arrive.
            if new_state in (State.DELIVERED, State.READ):
                fields["state"] = new_state
        elif row.state != State.CANCELLED and RANK[row.state] < RANK[new_state]:
            fields["state"] = new_state
    _save(row, fields)
    if row.content.get(FORGET_WHEN_DELIVERED) and row.state in (State.DELIVERED, State.READ):
        forget(row)
    if status.status == "failed" and row.state not in (State.DELIVERED, State.READ, State.FAILED):
        outcomes.fail(row, status.error_code, status.error_detail or "failed")
        return
    outcomes.sync_message(row)


# Set in a queued row's content when its person is erased (the erasure's own confirmation):
# once it has arrived, the row and its status webhooks lose the number and the words.
FORGET_WHEN_DELIVERED = "forget_when_delivered"


def forget(row: OutboundMessage) -> None:
    """Empty a delivered row of a person who was erased, and the statuses stored for it
    (a later status — read — is emptied as it comes: the mark stays on the row)."""
    _save(row, {"recipient": "", "content": {FORGET_WHEN_DELIVERED: True}})
    if row.wamid:
        MessageStatus.objects.filter(wamid=row.wamid).update(recipient="", raw={})


def apply_stored(row: OutboundMessage) -> None:
    """Apply statuses that arrived before the send was recorded."""
    if not row.wamid:
        return
    for status in MessageStatus.objects.filter(wamid=row.wamid).order_by("at", "pk"):
        row.refresh_from_db()
        apply(row, status)


def _save(row: OutboundMessage, fields: dict) -> None:
    if not fields:
        return
    OutboundMessage.objects.filter(pk=row.pk).update(**fields)
    for name, value in fields.items():
        setattr(row, name, value)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None
