"""The Graph API request for an outbox row: free text, buttons or media inside the
24-hour customer service window, the configured template outside it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max

from wadul.whatsapp.models import InboundMessage, OutboundMessage
from wadul.whatsapp.outbound import message_templates

Kind = OutboundMessage.Kind
Purpose = OutboundMessage.Purpose

CUSTOMER_SERVICE_WINDOW = timedelta(hours=24)
# Send a template a little before the window really closes: the row may wait in the queue.
WINDOW_MARGIN = timedelta(minutes=1)
# Which configured template carries a message of each purpose outside the 24-hour window.
TEMPLATE_FOR = {
    Purpose.ANSWER: "answer",
    Purpose.ACKNOWLEDGEMENT: "status_update",
    Purpose.STATUS_UPDATE: "status_update",
    Purpose.NOTICE: "notice",
    Purpose.RATING_REQUEST: "rating_request",
}


class TemplateMissing(Exception):
    pass


def window_open(row: OutboundMessage, now: datetime) -> bool:
    """Inside the 24-hour customer service window of this user and this number?"""
    if row.contact_id is None:
        return True  # not a citizen of ours (e.g. an official): the caller decided
    last = InboundMessage.objects.filter(number_id=row.number_id, contact_id=row.contact_id)
    last_at = last.aggregate(at=Max("sent_at"))["at"]
    return last_at is not None and now - last_at < CUSTOMER_SERVICE_WINDOW - WINDOW_MARGIN


def build_request(row: OutboundMessage, now: datetime) -> dict[str, Any]:
    if row.kind == Kind.READ_RECEIPT:
        return {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": row.content.get("message_id", ""),
        }
    body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
    if row.recipient_is_user_id:
        body["recipient"] = row.recipient
    else:
        body["to"] = "+" + row.recipient.lstrip("+")
    body["biz_opaque_callback_data"] = str(row.idempotency_key)
    kind = row.kind
    if kind in (Kind.TEXT, Kind.BUTTONS, Kind.MEDIA) and not window_open(row, now):
        kind = Kind.TEMPLATE
        OutboundMessage.objects.filter(pk=row.pk).update(kind=kind)
        row.kind = kind
    text = row.content.get("text", "")
    if kind == Kind.TEXT:
        body.update(type="text", text={"preview_url": False, "body": text[:4096]})
    elif kind == Kind.BUTTONS and row.content.get("list"):
        rows = [
            {
                "id": r["id"][:200],
                "title": r["title"][:24],
                **({"description": r["description"][:72]} if r.get("description") else {}),
            }
            for r in row.content["list"][:10]
        ]
        body.update(
            type="interactive",
            interactive={
                "type": "list",
                "body": {"text": text[:4096]},
                "action": {
                    "button": (row.content.get("list_label") or "Pilih")[:20],
                    "sections": [{"title": "Layanan"[:24], "rows": rows}],
                },
            },
        )
    elif kind == Kind.BUTTONS:
        buttons = [
            {"type": "reply", "reply": {"id": b["id"][:256], "title": b["title"][:20]}}
            for b in row.content.get("buttons", [])[:3]
        ]
        body.update(
            type="interactive",
            interactive={
                "type": "button",
                "body": {"text": text[:1024]},
                "action": {"buttons": buttons},
            },
        )
    elif kind == Kind.MEDIA:
        media_type = row.content.get("media_type", "document")
        media: dict[str, Any] = {"id": row.media_id}
        if row.content.get("caption"):
            media["caption"] = row.content["caption"][:1024]
        if media_type == "document" and row.content.get("filename"):
            media["filename"] = row.content["filename"][:240]
        body.update({"type": media_type, media_type: media})
    else:
        body.update(type="template", template=template_for(row))
    return body


def template_for(row: OutboundMessage) -> dict[str, Any]:
    # A row may name its template's purpose (an announcement: `serta_merta`).
    purpose = row.content.get("template_purpose") or TEMPLATE_FOR.get(row.purpose, "status_update")
    language = settings.WHATSAPP_LANGUAGE
    name = (settings.WHATSAPP_TEMPLATES.get(purpose) or {}).get(language)
    if not name:
        raise TemplateMissing(f"No template configured for {purpose!r} in {language!r}.")
    message_templates.check_approved(name, language)
    params = row.content.get("template_params") or [row.content.get("text", "-")]
    components: list[dict[str, Any]] = [
        {"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in params]}
    ]
    for index, payload in enumerate(row.content.get("template_buttons", [])):
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": payload}],
            }
        )
    return {"name": name, "language": {"code": language}, "components": components}
