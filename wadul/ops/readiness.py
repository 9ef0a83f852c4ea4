"""What `/readyz` checks, each by name: the database answers, every task queue has a live
worker, webhooks are processed and messages sent without falling behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone

from wadul.ops.models import WorkerHeartbeat
from wadul.whatsapp.models import OutboundMessage, WebhookDelivery


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def queues() -> list[str]:
    return list(settings.TASKS["default"].get("QUEUES") or ["default"])


def live_workers(now: datetime | None = None) -> dict[str, int]:
    """Workers per queue whose heartbeat is fresh."""
    now = now or timezone.now()
    fresh = WorkerHeartbeat.objects.filter(
        beat_at__gte=now - timedelta(seconds=settings.READY_HEARTBEAT_SECONDS)
    )
    beats = list(fresh.only("queues"))
    return {queue: sum(1 for b in beats if b.serves(queue)) for queue in queues()}


def webhook_backlog_seconds(now: datetime | None = None) -> float:
    """Age of the oldest webhook not yet processed (pending in the table)."""
    now = now or timezone.now()
    # Few rows are pending at any time (a partial index holds just them).
    pending = WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING).aggregate(
        oldest=Min("received_at")
    )["oldest"]
    return max(0.0, (now - pending).total_seconds()) if pending else 0.0


def outbox_lag_seconds(now: datetime | None = None) -> float:
    """How long the message most overdue for sending has waited past its time."""
    now = now or timezone.now()
    due = (
        OutboundMessage.objects.filter(state=OutboundMessage.State.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return max(0.0, (now - due).total_seconds()) if due else 0.0


def run_checks() -> list[Check]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        # Nothing else can be checked without the database.
        return [Check("database", False, type(error).__name__)]
    checks = [Check("database", True, "reachable")]
    now = timezone.now()
    for queue, count in live_workers(now).items():
        checks.append(
            Check(
                f"worker:{queue}",
                count > 0,
                f"{count} worker(s) seen in the last {settings.READY_HEARTBEAT_SECONDS}s",
            )
        )
    backlog = webhook_backlog_seconds(now)
    checks.append(
        Check(
            "webhook_backlog",
            backlog <= settings.READY_WEBHOOK_BACKLOG_SECONDS,
            f"oldest unprocessed webhook {backlog:.0f}s old "
            f"(limit {settings.READY_WEBHOOK_BACKLOG_SECONDS}s)",
        )
    )
    lag = outbox_lag_seconds(now)
    checks.append(
        Check(
            "outbox_lag",
            lag <= settings.READY_OUTBOX_LAG_SECONDS,
            f"most overdue message waiting {lag:.0f}s (limit {settings.READY_OUTBOX_LAG_SECONDS}s)",
        )
    )
    return checks
