"""What each answer from the Graph API means for an outbox row: sent, try again later,
fall back to a template, or stop and alert an administrator (Meta's error codes:
support/error-codes)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wadul.cases import services as case_services
from wadul.cases.models import Message
from wadul.whatsapp import nudge
from wadul.whatsapp.alerts import raise_alert
from wadul.whatsapp.models import Alert, OutboundMessage, SendPace
from wadul.whatsapp.outbound import graph, pacing

logger = logging.getLogger(__name__)

State = OutboundMessage.State
Kind = OutboundMessage.Kind
MESSAGE_DELIVERY = {
    State.QUEUED: Message.Delivery.PENDING,
    State.SENDING: Message.Delivery.PENDING,
    State.SENT: Message.Delivery.SENT,
    State.DELIVERED: Message.Delivery.DELIVERED,
    State.READ: Message.Delivery.READ,
    State.FAILED: Message.Delivery.FAILED,
    State.CANCELLED: Message.Delivery.FAILED,
}

# Meta's error codes (reference: support/error-codes) and what the sender does with them.
RETRY_CODES = frozenset({130429, 131056, 131000, 131057, 4, 80007})
STOP_CODES = frozenset({131026, 131048, 368, 190})
WINDOW_CLOSED = 131047
THROUGHPUT_HIT, PAIR_RATE_HIT = 130429, 131056
MAX_ATTEMPTS = 6
MAX_BACKOFF_SECONDS = 900


def record(row: OutboundMessage, result: graph.GraphResult) -> None:
    """Record the answer to a send: accepted (the caller then applies the statuses that came
    first), unknown, or an error to retry or fail on."""
    if result.ok:
        _accepted(row, result)
    elif result.outcome == graph.Outcome.UNKNOWN:
        # It may have reached Meta: leave it `sending`; its status webhook (or, failing
        # that, the reconciliation window) decides.
        logger.warning("send of outbox row %s ended unknown: %s", row.pk, result.error_detail)
    elif result.outcome == graph.Outcome.NOT_SENT:
        retry(row, None, result.error_detail)
    elif result.error_code == WINDOW_CLOSED:
        fail(row, WINDOW_CLOSED, result.error_detail)
    elif result.error_code in RETRY_CODES or (result.status_code or 0) >= 500:
        if result.error_code == PAIR_RATE_HIT:
            pacing.empty_pair_bucket(row)
        retry(row, result.error_code, result.error_detail)
    else:
        fail(row, result.error_code, result.error_detail)


@transaction.atomic
def _accepted(row: OutboundMessage, result: graph.GraphResult) -> None:
    messages = result.data.get("messages") if isinstance(result.data, dict) else None
    wamid = ""
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        wamid = str(messages[0].get("id") or "")[:200]
    now = timezone.now()
    rows = OutboundMessage.objects.filter(pk=row.pk)
    changes: dict[str, Any] = {"sent_at": now}
    if wamid:
        changes["wamid"] = wamid
    try:
        with transaction.atomic():
            # A status webhook may have settled the row already (statuses before response).
            moved = rows.filter(state=State.SENDING).update(state=State.SENT, **changes)
    except IntegrityError:
        # Another row holds this wamid (a provider bug): keep ours without; statuses still
        # find it by its idempotency key.
        wamid = ""
        changes.pop("wamid")
        moved = rows.filter(state=State.SENDING).update(state=State.SENT, **changes)
    if moved:
        row.state, row.sent_at = State.SENT, now
        row.wamid = wamid or row.wamid
    else:
        if wamid:
            rows.filter(wamid__isnull=True).update(wamid=wamid)
        rows.filter(sent_at__isnull=True).update(sent_at=now)
        row.refresh_from_db()


def record_upload(row: OutboundMessage, result: graph.GraphResult) -> bool:
    """Keep Meta's media id on the row; without one, the row is retried or failed like a
    send (nothing reached the citizen either way)."""
    media_id = str(result.data.get("id") or "")[:200] if result.ok else ""
    if media_id:
        OutboundMessage.objects.filter(pk=row.pk).update(media_id=media_id)
        row.media_id = media_id
    elif result.ok or result.outcome in (graph.Outcome.NOT_SENT, graph.Outcome.UNKNOWN):
        # An upload sends nothing to the citizen: trying it again is always safe.
        retry(row, None, f"upload: {result.error_detail or 'no media id'}")
    elif result.error_code in RETRY_CODES or (result.status_code or 0) >= 500:
        retry(row, result.error_code, f"upload: {result.error_detail}")
    else:
        fail(row, result.error_code, f"upload: {result.error_detail}")
    return bool(media_id)


@transaction.atomic
def retry(row: OutboundMessage, code: int | None, detail: str) -> None:
    """Try the same row again later (Meta did not accept it, so it cannot arrive twice)."""
    row.refresh_from_db()
    if row.attempts >= MAX_ATTEMPTS:
        fail(row, code, f"gave up after {row.attempts} attempts: {detail}")
        return
    delay = min(4 ** max(0, row.attempts - 1), MAX_BACKOFF_SECONDS)
    OutboundMessage.objects.filter(pk=row.pk, state=State.SENDING).update(
        state=State.QUEUED,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        error_code=code,
        error_detail=detail[:500],
    )
    if code == THROUGHPUT_HIT:
        SendPace.objects.filter(number_id=row.number_id).update(
            next_slot_at=timezone.now() + timedelta(seconds=1)
        )


@transaction.atomic
def fail(row: OutboundMessage, code: int | None, detail: str) -> None:
    """A send (or an accepted message) failed: record why, then fall back, retry as a new
    send, or stop and alert an administrator."""
    now = timezone.now()
    OutboundMessage.objects.filter(pk=row.pk).exclude(
        state__in=[State.DELIVERED, State.READ]
    ).update(state=State.FAILED, failed_at=now, error_code=code, error_detail=detail[:500])
    row.refresh_from_db()
    if row.state != State.FAILED or row.kind == Kind.READ_RECEIPT:
        sync_message(row)
        return
    if code == WINDOW_CLOSED and row.kind != Kind.TEMPLATE:
        _replace(row, kind=Kind.TEMPLATE, at=now)
    elif code in RETRY_CODES and row.wamid and row.attempts < MAX_ATTEMPTS:
        # Accepted, then failed for a passing reason: a new send (new key, new wamid).
        delay = min(4 ** max(0, row.attempts - 1), MAX_BACKOFF_SECONDS)
        _replace(row, kind=row.kind, at=now + timedelta(seconds=delay), attempts=row.attempts)
    else:
        _alert_for(row, code, detail)
    sync_message(row)


def _replace(row: OutboundMessage, *, kind: str, at: datetime, attempts: int = 0) -> None:
    if OutboundMessage.objects.filter(replaces=row).exists():
        return
    OutboundMessage.objects.create(
        number_id=row.number_id,
        recipient=row.recipient,
        recipient_is_user_id=row.recipient_is_user_id,
        contact_id=row.contact_id,
        case_id=row.case_id,
        message_id=row.message_id,
        purpose=row.purpose,
        kind=kind,
        content=row.content,
        media_id=row.media_id if kind == Kind.MEDIA else "",
        replaces=row,
        attempts=attempts,
        next_attempt_at=at,
    )
    nudge.kick_on_commit("send_outbox", at)


def _alert_for(row: OutboundMessage, code: int | None, detail: str) -> None:
    if code in STOP_CODES:
        kind, title = Alert.Kind.SEND_STOPPED, f"Sending stopped: error {code}"
    elif row.kind == Kind.MEDIA and not code:
        kind, title = Alert.Kind.PLATFORM_ERROR, "A file could not be sent"
    elif row.kind == Kind.TEMPLATE or (code is not None and 132000 <= code < 133000) or not code:
        kind, title = Alert.Kind.TEMPLATE, f"Template message failed: {code or 'not configured'}"
    else:
        kind, title = Alert.Kind.PLATFORM_ERROR, f"WhatsApp refused a message: error {code}"
    raise_alert(
        kind,
        title,
        code=code,
        number=row.number,
        reference=row.recipient if code == 131026 else "",
        detail=f"Outbox row {row.pk} to {row.recipient}: {detail}",
    )


def sync_message(row: OutboundMessage) -> None:
    """The case message shows the state of its newest send (a template fallback replaces a
    failed free-text send)."""
    if not row.message_id:
        return
    latest = OutboundMessage.objects.filter(message_id=row.message_id).order_by("-id").first()
    if latest is None:
        return
    error = latest.error_detail if latest.state == State.FAILED else ""
    message = Message(pk=row.message_id)  # only its id is needed
    case_services.set_delivery(message, MESSAGE_DELIVERY[latest.state], error, latest.wamid)
