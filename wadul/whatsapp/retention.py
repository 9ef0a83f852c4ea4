"""Retention of WhatsApp's raw records: webhook payloads and Graph API call logs hold
numbers, names and message texts; they are kept 30 days after processing by default."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from wadul.core import retention
from wadul.privacy import services as privacy
from wadul.whatsapp.models import (
    InboundMessage,
    OutboundMessage,
    ProviderCall,
    WebhookDelivery,
)
from wadul.whatsapp.outbound import statuses


def _processed_payloads(cutoff: datetime):
    return WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.PROCESSED, processed_at__lt=cutoff
    )


def _old_calls(cutoff: datetime):
    return ProviderCall.objects.filter(at__lt=cutoff)


def _raw_messages(cutoff: datetime):
    # The row stays (its wamid keeps a replayed webhook from opening a case twice); the
    # payload with the sender's profile name and number goes.
    return InboundMessage.objects.filter(created_at__lt=cutoff).exclude(raw={})


def _empty_raw(limit: int, cutoff: datetime) -> int:
    ids = list(_raw_messages(cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    InboundMessage.objects.filter(pk__in=ids).update(raw={})
    return len(ids)


RULES = [
    # (name, description, records due at a cutoff, how one batch is processed)
    (
        "webhook_payloads",
        _("Raw WhatsApp webhook payloads, after processing"),
        _processed_payloads,
        lambda cutoff, limit: retention.delete_batch(_processed_payloads(cutoff), limit),
    ),
    (
        "provider_calls",
        _("Graph API call logs"),
        _old_calls,
        lambda cutoff, limit: retention.delete_batch(_old_calls(cutoff), limit),
    ),
    (
        "inbound_payloads",
        _("Raw payloads of inbound WhatsApp messages"),
        _raw_messages,
        lambda cutoff, limit: _empty_raw(limit, cutoff),
    ),
]


def erase_contact(contact_id: int) -> None:
    """A person erased (wadul.privacy): their inbound payloads emptied; the outbox rows
    already sent lose the number and the words; queued ones still go out (the erasure's
    own confirmation is one of them) and lose them once delivered (`statuses.forget`)."""
    InboundMessage.objects.filter(contact_id=contact_id).update(raw={})
    done = [OutboundMessage.State.SENT, OutboundMessage.State.DELIVERED]
    done += [OutboundMessage.State.READ, OutboundMessage.State.CANCELLED]
    OutboundMessage.objects.filter(contact_id=contact_id, state__in=done).update(
        recipient="", content={}
    )
    # Still to go (the confirmation): emptied in its turn once delivered.
    waiting = OutboundMessage.objects.filter(contact_id=contact_id).exclude(
        state__in=[*done, OutboundMessage.State.FAILED]
    )
    for row in waiting.select_for_update():
        row.content = {**row.content, statuses.FORGET_WHEN_DELIVERED: True}
        row.save(update_fields=["content"])


def register_rules() -> None:
    if erase_contact not in privacy.ERASURE_HOOKS:
        privacy.ERASURE_HOOKS.append(erase_contact)
    for name, description, due, process in RULES:
        retention.register(
            retention.Rule(
                name=name,
                description=description,
                default_days=30,
                process=process,
                count_due=lambda cutoff, due=due: due(cutoff).count(),
            )
        )
