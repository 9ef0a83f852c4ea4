"""Worker side of the webhook: turn stored deliveries into cases, messages and delivery
states. Deliveries are processed in short batches, one transaction each (every delivery in
its own savepoint), claimed with SKIP LOCKED where the database has it, so several workers
can drain the table together; a worker killed midway rolls back and the batch stays pending
for the next one.
"""

from __future__ import annotations

import logging
import time
import traceback

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wadul.cases import services as case_services
from wadul.cases.channels import Notice
from wadul.cases.models import Channel, Via
from wadul.conversation import requests
from wadul.conversation.messages import Entry
from wadul.core import logs, memo
from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp import nudge
from wadul.whatsapp import services as whatsapp_services
from wadul.whatsapp.alerts import raise_alert
from wadul.whatsapp.models import Alert, OutboundMessage, WebhookDelivery
from wadul.whatsapp.outbound import message_templates, outbox, statuses
from wadul.whatsapp.relay import services as relay
from wadul.whatsapp.webhook import inbound, parser

logger = logging.getLogger(__name__)

State = WebhookDelivery.State


# Deliveries per transaction: fewer commits, but on SQLite the webhook view waits while a
# batch holds the write lock, so a batch also ends after BATCH_SECONDS.
BATCH_SIZE = 10
BATCH_SECONDS = 0.05
NUMBER_CACHE_SECONDS = 5.0
_numbers: dict[str, tuple[float, WhatsAppNumber | None]] = {}


def drain(budget_seconds: float = 2.0) -> tuple[int, bool]:
    """Process pending deliveries for up to `budget_seconds`; returns (done, more left)."""
    deadline = time.monotonic() + budget_seconds
    done = 0
    # Lookups (who is on duty, which number a unit speaks from, which senders are
    # officials) are remembered for the drain: a change made meanwhile is seen by the
    # next drain, at most `budget_seconds` later.
    with memo.remembered():
        while time.monotonic() < deadline:
            count = process_batch()
            if not count:
                return done, False
            done += count
    more = WebhookDelivery.objects.filter(state=State.PENDING).exists()
    return done, more


def process_next() -> bool:
    """Claim and process the oldest pending delivery; False when there is none."""
    return process_batch(size=1) > 0


def process_batch(size: int = BATCH_SIZE) -> int:
    """Claim up to `size` pending deliveries (oldest first, skipping those another worker
    holds) and process them in one transaction, each in its own savepoint: one that fails
    is rolled back alone and flagged for replay."""
    failures: list[tuple[int, str]] = []
    processed: list[WebhookDelivery] = []
    receipts: list[outbox.Receipt] = []
    done = 0
    # Lookups are remembered for the batch (its after-commit notifications included), or
    # for the whole drain when one runs.
    with memo.remembered(), nudge.kicks_after(), transaction.atomic():
        batch = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(state=State.PENDING)
            .order_by("id")[:size]
        )
        started = time.monotonic()
        for delivery in batch:
            if done and time.monotonic() - started > BATCH_SECONDS:
                break
            with logs.bound(logs.webhook_request_id(delivery.body)):
                try:
                    with transaction.atomic(), outbox.read_receipts_held() as held:
                        apply(delivery)
                except Exception:  # a bug or a shape we did not foresee: keep it for replay
                    logger.exception("webhook delivery %s could not be processed", delivery.pk)
                    failures.append((delivery.pk, traceback.format_exc()))
                else:
                    logger.info("webhook delivery %s %s", delivery.pk, delivery.state)
                    processed.append(delivery)
                    receipts.extend(held)
            done += 1
        # What the batch's messages had in common, written once for the batch.
        outbox.queue_read_receipts(receipts)
        _save_outcomes(processed)
        for pk, error in failures:
            _flag_failure(pk, error)
    return done


def _save_outcomes(deliveries: list[WebhookDelivery]) -> None:
    # One UPDATE for every delivery of a batch with the same outcome (nearly all are
    # "processed, no notes"), instead of one per delivery.
    now = timezone.now()
    groups: dict[tuple, list[int]] = {}
    for d in deliveries:
        d.attempts, d.processed_at = d.attempts + 1, now
        groups.setdefault((d.state, d.notes, d.unknown_number, d.phone_number_ids), []).append(d.pk)
    for (state, notes, unknown, pnids), pks in groups.items():
        WebhookDelivery.objects.filter(pk__in=pks).update(
            state=state,
            notes=notes,
            unknown_number=unknown,
            phone_number_ids=pnids,
            attempts=F("attempts") + 1,
            processed_at=now,
        )


def apply(delivery: WebhookDelivery) -> None:
    """Apply everything in one delivery (inside the caller's transaction) and set its
    outcome on the instance; `_save_outcomes` writes it."""
    payload = parser.parse(delivery.body)
    notes = list(payload.notes)
    numbers: dict[str, WhatsAppNumber | None] = {}
    unknown: set[str] = set()
    for change in payload.changes:
        if change.is_empty:
            continue
        for template in change.template_updates:
            apply_template_update(template)
        if change.template_updates:
            continue  # addressed to the account, not to a number
        pnid = change.phone_number_id
        if pnid not in numbers:
            numbers[pnid] = _number(pnid)
        number = numbers[pnid]
        if number is None:
            unknown.add(pnid)
            continue
        for message in change.messages:
            inbound.handle(number, message, delivery)
        for update in change.statuses:
            statuses.handle(number, update)
        for echo in change.echoes:
            handle_echo(number, echo)
        for error in change.errors:
            raise_alert(
                Alert.Kind.PLATFORM_ERROR,
                f"WhatsApp reported error {error.code}",
                code=error.code,
                number=number,
                detail=error.describe(),
            )
    for pnid in sorted(unknown):
        notes.append(f"unknown phone_number_id {pnid!r}")
        raise_alert(
            Alert.Kind.UNKNOWN_NUMBER,
            f"Webhooks for an unknown number {pnid}",
            reference=pnid,
            detail="Register it with `wadul whatsapp_numbers add`, then `wadul replay_webhooks`.",
        )
    delivery.state = State.FLAGGED if notes else State.PROCESSED
    delivery.notes = "\n".join(notes)[:5000]
    delivery.unknown_number = bool(unknown)
    delivery.phone_number_ids = ",".join(sorted(p for p in numbers if p))[:200]


def apply_template_update(update: parser.TemplateUpdate) -> None:
    message_templates.record_status(
        name=update.name,
        language=update.language,
        status=update.event,
        reason=update.reason,
        category=update.category,
        meta_id=update.template_id,
        via="webhook",
    )


def handle_echo(number: WhatsAppNumber, echo: parser.Echo) -> str:
    """A message an official sent from the WhatsApp Business app (coexistence): the answer
    of the citizen's open case, at the time it was sent. It already reached the citizen."""
    if OutboundMessage.objects.filter(wamid=echo.wamid[:200]).exists():
        return "duplicate"
    contact = whatsapp_services.find_contact(echo.to)
    if contact is None:
        return "unknown_contact"
    entry = Entry(channel=Channel.WHATSAPP, number=number)
    case, how = requests.find_case(contact, entry, echo.timestamp or timezone.now())
    if case is None or how != "append":
        return "no_open_case"
    try:
        with transaction.atomic():
            at = min(echo.timestamp or timezone.now(), timezone.now())
            case_services.answer(
                case,
                text=echo.text or f"[{echo.type or 'pesan'}]",
                actor=relay.echo_author(number, case, at),
                via=Via.COEXISTENCE,
                at=at,
                notice=Notice(already_sent_id=echo.wamid[:200]),
            )
    except IntegrityError:
        return "duplicate"
    except case_services.CaseError:
        return "refused"
    return "answered"


def _number(phone_number_id: str) -> WhatsAppNumber | None:
    """The registered number (cached briefly: every delivery names one)."""
    now = time.monotonic()
    cached = _numbers.get(phone_number_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    number = (
        WhatsAppNumber.objects.select_related("unit")
        .filter(phone_number_id=phone_number_id, is_active=True)
        .first()
    )
    if number is not None:  # an unknown number is looked up again next time
        _numbers[phone_number_id] = (now + NUMBER_CACHE_SECONDS, number)
    return number


def forget_numbers() -> None:
    """Drop the cache (after registering or changing a number)."""
    _numbers.clear()


def _flag_failure(pk: int, error: str) -> None:
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=pk).update(
            state=State.FLAGGED, notes=f"processing failed:\n{error}"[-5000:]
        )
        raise_alert(
            Alert.Kind.PROCESSING,
            "A webhook delivery could not be processed",
            detail=f"Delivery {pk}: {error.strip().splitlines()[-1]}",
        )
