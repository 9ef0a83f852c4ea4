"""Worker side of the webhook: turn stored deliveries into cases, messages and delivery
states. Each delivery is processed in one transaction, claimed with SKIP LOCKED where the
database has it, so several workers can drain the table together; a worker killed midway
rolls back and the delivery stays pending for the next one.
"""

from __future__ import annotations

import logging
import time
import traceback

from django.db import IntegrityError, transaction
from django.utils import timezone

from wadul.cases import services as case_services
from wadul.cases.models import Via
from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp import inbound, outbox, parser, statuses
from wadul.whatsapp import services as whatsapp_services
from wadul.whatsapp.alerts import raise_alert
from wadul.whatsapp.models import Alert, OutboundMessage, WebhookDelivery

logger = logging.getLogger(__name__)

State = WebhookDelivery.State


def drain(budget_seconds: float = 2.0) -> tuple[int, bool]:
    """Process pending deliveries for up to `budget_seconds`; returns (done, more left)."""
    deadline = time.monotonic() + budget_seconds
    done = 0
    while time.monotonic() < deadline:
        if not process_next():
            return done, False
        done += 1
    return done, WebhookDelivery.objects.filter(state=State.PENDING).exists()


def process_next() -> bool:
    """Claim and process the oldest pending delivery; False when there is none."""
    pk = None
    try:
        with transaction.atomic():
            delivery = (
                WebhookDelivery.objects.select_for_update(skip_locked=True)
                .filter(state=State.PENDING)
                .order_by("id")
                .first()
            )
            if delivery is None:
                return False
            pk = delivery.pk
            process(delivery)
    except Exception:  # a bug or a shape we did not foresee: keep it for replay
        logger.exception("webhook delivery %s could not be processed", pk)
        if pk is None:
            raise
        _flag_failure(pk, traceback.format_exc())
    return True


def process(delivery: WebhookDelivery) -> None:
    """Apply everything in one delivery (inside the caller's transaction)."""
    payload = parser.parse(delivery.body)
    notes = list(payload.notes)
    numbers: dict[str, WhatsAppNumber | None] = {}
    unknown: set[str] = set()
    for change in payload.changes:
        if change.is_empty:
            continue
        pnid = change.phone_number_id
        if pnid not in numbers:
            numbers[pnid] = (
                WhatsAppNumber.objects.select_related("unit").filter(phone_number_id=pnid).first()
            )
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
    delivery.attempts += 1
    delivery.processed_at = timezone.now()
    delivery.save(
        update_fields=[
            "state",
            "notes",
            "unknown_number",
            "phone_number_ids",
            "attempts",
            "processed_at",
        ]
    )


def handle_echo(number: WhatsAppNumber, echo: parser.Echo) -> str:
    """A message an official sent from the WhatsApp Business app (coexistence): the answer
    of the citizen's open case, at the time it was sent. It already reached the citizen."""
    if OutboundMessage.objects.filter(wamid=echo.wamid[:200]).exists():
        return "duplicate"
    contact = whatsapp_services.find_contact(echo.to)
    if contact is None:
        return "unknown_contact"
    case, how = inbound.find_case(contact, number, echo.timestamp or timezone.now())
    if case is None or how != "append":
        return "no_open_case"
    try:
        with transaction.atomic(), outbox.delivery_options(already_sent_wamid=echo.wamid[:200]):
            case_services.answer(
                case,
                text=echo.text or f"[{echo.type or 'pesan'}]",
                actor=None,
                via=Via.COEXISTENCE,
                at=min(echo.timestamp or timezone.now(), timezone.now()),
            )
    except IntegrityError:
        return "duplicate"
    except case_services.CaseError:
        return "refused"
    return "answered"


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
