"""Cases as JSON Lines: one case per line, with its messages (each with its WhatsApp message
id and delivery state and the statuses WhatsApp reported), attachments and events.

No phone numbers or WhatsApp ids of citizens are written: the reporter appears by contact id.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TextIO

from django.db.models import QuerySet

from wadul.cases.models import Case
from wadul.whatsapp.models import MessageStatus, OutboundMessage

CHUNK = 200


def export_cases(cases: QuerySet[Case], out: TextIO) -> int:
    count = 0
    for line in case_lines(cases):
        out.write(line + "\n")
        count += 1
    return count


def case_lines(cases: QuerySet[Case]) -> Iterator[str]:
    ids = list(cases.order_by("created_at", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = (
            Case.objects.filter(pk__in=ids[start : start + CHUNK])
            .select_related("unit", "channel_number", "region", "referred_to")
            .prefetch_related("messages__attachments", "messages__author", "events__actor")
            .order_by("created_at", "pk")
        )
        chunk = list(chunk)
        statuses = _statuses(m for case in chunk for m in case.messages.all())
        for case in chunk:
            yield json.dumps(case_record(case, statuses), ensure_ascii=False, default=_default)


def case_record(case: Case, statuses: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "tracking_number": case.tracking_number,
        "type": case.type,
        "status": case.status,
        "channel": case.channel,
        "whatsapp_number": case.channel_number.display_number if case.channel_number else None,
        "unit": case.unit.code if case.unit else None,
        "referred_to": case.referred_to.code if case.referred_to else None,
        "visibility": case.visibility,
        "priority": case.priority,
        "contact_id": case.contact_id,
        "subject": case.subject,
        "region": case.region_id,
        "latitude": case.latitude,
        "longitude": case.longitude,
        "rating": case.rating,
        "created_at": case.created_at,
        "first_response_at": case.first_response_at,
        "resolved_at": case.resolved_at,
        "closed_at": case.closed_at,
        "messages": [
            {
                "direction": message.direction,
                "via": message.via,
                "at": message.created_at,
                "author": message.author.username if message.author else None,
                "text": message.text,
                "whatsapp_message_id": message.external_id or None,
                "delivery": message.delivery,
                "delivery_error": message.delivery_error or None,
                "statuses": statuses.get(message.external_id, []) if message.external_id else [],
                "attachments": [
                    {
                        "kind": attachment.kind,
                        "content_type": attachment.content_type,
                        "size": attachment.size,
                        "sha256": attachment.sha256,
                    }
                    for attachment in message.attachments.all()
                ],
            }
            for message in case.messages.all()
        ],
        "events": [
            {
                "kind": event.kind,
                "at": event.at,
                "actor": event.actor.username if event.actor else None,
                "via": event.via,
                "from_status": event.from_status or None,
                "to_status": event.to_status or None,
                "from_unit": event.from_unit_id,
                "to_unit": event.to_unit_id,
                "data": event.data,
            }
            for event in case.events.all()
        ],
    }


def _statuses(messages: Iterable) -> dict[str, list[dict[str, Any]]]:
    """Status webhooks per wamid, for every send of the messages (a template fallback's too)."""
    message_ids = [m.pk for m in messages]
    sends = OutboundMessage.objects.filter(message_id__in=message_ids).exclude(wamid=None)
    wamid_of_message: dict[int, list[str]] = defaultdict(list)
    final: dict[int, str] = {}
    for message_id, wamid in sends.order_by("id").values_list("message_id", "wamid"):
        wamid_of_message[message_id].append(wamid)
        final[message_id] = wamid
    wamids = [w for ws in wamid_of_message.values() for w in ws]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for status in MessageStatus.objects.filter(wamid__in=wamids).order_by("at", "pk"):
        entry = {"status": status.status, "at": status.at, "wamid": status.wamid}
        if status.error_code:
            entry["error"] = status.error_code
        found[status.wamid].append(entry)
    # Keyed by the message's external id (its final wamid): all its sends' statuses.
    return {
        final[message_id]: [s for w in ws for s in found.get(w, [])]
        for message_id, ws in wamid_of_message.items()
    }


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
