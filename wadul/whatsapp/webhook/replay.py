"""Replaying stored webhook deliveries (after registering a number or fixing the parser).
Processing is idempotent, so replaying a delivery that was already applied changes nothing."""

from __future__ import annotations

from django.db.models import QuerySet

from wadul.whatsapp import nudge
from wadul.whatsapp.models import WebhookDelivery


def mark_for_replay(deliveries: QuerySet[WebhookDelivery]) -> int:
    count = deliveries.exclude(state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.PENDING
    )
    if count:
        nudge.kick("process_webhooks")
    return count
