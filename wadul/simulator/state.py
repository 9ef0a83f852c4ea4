"""The simulator's records: business numbers, users, messages and media (plain data, no lock).

`Simulator` (core.py) owns them and holds its lock around every read and write.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from wadul.simulator import payloads
from wadul.simulator.limits import SlidingWindow

DEFAULT_WABA_ID = "102290129340398"
WINDOW_SECONDS = 24 * 3600
STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "played": 4, "failed": 5}


@dataclass
class Number:
    """A business phone number registered with the simulator (a Cloud API phone number)."""

    phone_number_id: str
    display_phone_number: str
    coexistence: bool = False
    restricted: bool = False
    spam_limited: bool = False
    throughput: int | None = None
    waba_id: str = DEFAULT_WABA_ID
    name: str = ""
    quality_rating: str = "GREEN"  # GREEN | YELLOW | RED | UNKNOWN, as Meta rates it
    messaging_limit_tier: str = "TIER_1K"
    window: SlidingWindow = field(default_factory=lambda: SlidingWindow(limit=80))

    def as_dict(self, limit: int) -> dict[str, Any]:
        return {
            "phone_number_id": self.phone_number_id,
            "display_phone_number": self.display_phone_number,
            "coexistence": self.coexistence,
            "restricted": self.restricted,
            "spam_limited": self.spam_limited,
            "throughput": self.throughput,
            "effective_throughput": limit,
            "waba_id": self.waba_id,
            "name": self.name,
            "quality_rating": self.quality_rating,
            "messaging_limit_tier": self.messaging_limit_tier,
        }


@dataclass
class User:
    """A WhatsApp user the simulator plays (a citizen, or an official's own phone)."""

    wa_id: str
    name: str = ""
    undeliverable: bool = False
    identity: str = "phone"  # how this user's webhooks identify them: phone | phone+user_id | …
    username: str = ""

    @property
    def user_id(self) -> str:
        return payloads.bsuid(self.wa_id)


@dataclass
class Message:
    """One message between a business number and a user, in either direction."""

    seq: int
    wamid: str
    direction: str  # inbound (user → business) | outbound (Cloud API send) | echo (Business app)
    phone_number_id: str
    wa_id: str
    type: str
    timestamp: int
    content: dict[str, Any]
    context_id: str | None = None
    status: str | None = None
    statuses: list[dict[str, Any]] = field(default_factory=list)
    error_code: int | None = None
    biz_opaque_callback_data: str | None = None
    request: dict[str, Any] | None = None
    category: str = "service"
    in_window: bool = True
    read_requested: bool = False
    played_requested: bool = False
    read_by_business: bool = False
    media_id: str | None = None
    webhook_status: int | None = None
    accepted_at: float | None = None  # when the Graph API accepted an outbound message

    @property
    def template_name(self) -> str | None:
        return self.content.get("name") if self.type == "template" else None

    def summary(self) -> str:
        c = self.content
        if self.type == "text":
            return c.get("body", "")
        if self.type == "template":
            params = [
                str(p.get("text") or p.get("payload") or "")
                for comp in c.get("components") or []
                for p in comp.get("parameters") or []
            ]
            return f"[{c.get('name')}] " + " | ".join(p for p in params if p)
        if self.type == "interactive":
            kind = c.get("type")
            if kind in ("button_reply", "list_reply"):
                return c.get(kind, {}).get("title", "")
            return (c.get("body") or {}).get("text", "")
        if self.type == "button":
            return c.get("text", "")
        if self.type == "location":
            return c.get("name") or f"{c.get('latitude')}, {c.get('longitude')}"
        if self.type == "reaction":
            return c.get("emoji", "")
        if self.type in ("image", "video", "document", "audio", "sticker"):
            return c.get("caption") or c.get("filename") or f"[{self.type}]"
        return f"[{self.type}]"

    def as_dict(self) -> dict[str, Any]:
        return {
            "wamid": self.wamid,
            "direction": self.direction,
            "phone_number_id": self.phone_number_id,
            "user": self.wa_id,
            "type": self.type,
            "text": self.summary(),
            "content": self.content,
            "context_id": self.context_id,
            "template_name": self.template_name,
            "timestamp": self.timestamp,
            "status": self.status,
            "statuses": list(self.statuses),
            "error_code": self.error_code,
            "biz_opaque_callback_data": self.biz_opaque_callback_data,
            "category": self.category,
            "read_by_business": self.read_by_business,
            "media_id": self.media_id,
            "request": self.request,
            "accepted_at": self.accepted_at,
        }


@dataclass
class Media:
    id: str
    data: bytes
    mime_type: str
    filename: str = ""
    phone_number_id: str = ""

    @property
    def sha256_hex(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def new_stats() -> dict[str, Any]:
    return {
        "accepted": 0,
        "inbound": 0,
        "rejected": {str(code): 0 for code in payloads.COUNTED_CODES},
        "failed_async": {},
        "first_accept": None,
        "last_accept": None,
        "peak_rate": 0,
        "webhooks": {"ok": 0, "failed": 0, "dropped": 0},
    }
