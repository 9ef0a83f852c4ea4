"""Meta's shapes: ids, Graph API error envelopes and webhook bodies.

Everything here is pure (no state); the shapes follow the reference in
/work/shared/reference/whatsapp-cloud-api.md and Meta's example payloads.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

ERROR_HREF = "/documentation/business-messaging/whatsapp/support/error-codes"


@dataclass(frozen=True)
class ErrorCode:
    """One of Meta's error codes: what the send API or a `failed` status says."""

    code: int
    title: str
    details: str
    http_status: int = 400
    subcode: int | None = None


ERRORS: dict[int, ErrorCode] = {
    e.code: e
    for e in [
        ErrorCode(100, "Invalid parameter", "Invalid parameter"),
        ErrorCode(190, "Invalid OAuth access token", "Invalid OAuth access token.", 401),
        ErrorCode(
            368,
            "Temporarily blocked for policies violations",
            "The WhatsApp Business Account is restricted for policy violations.",
            403,
        ),
        ErrorCode(
            130429,
            "Rate limit hit",
            "Cloud API message throughput has been reached.",
            subcode=2494055,
        ),
        ErrorCode(
            131000, "Something went wrong", "Message failed to send due to an unknown error.", 500
        ),
        ErrorCode(131009, "Parameter value is not valid", "Parameter value is not valid."),
        ErrorCode(131026, "Message undeliverable", "Unable to deliver message."),
        ErrorCode(
            131047,
            "Re-engagement message",
            "More than 24 hours have passed since the recipient last replied to the sender number.",
        ),
        ErrorCode(
            131048,
            "Spam rate limit hit",
            "Message failed to send because there are restrictions on how many messages "
            "can be sent from this phone number. This may be because too many previous "
            "messages were blocked or flagged as spam.",
        ),
        ErrorCode(131053, "Media upload error", "Unable to upload the media used in the message."),
        ErrorCode(
            131056,
            "(Business Account, Consumer Account) pair rate limit hit",
            "Too many messages sent from the sender phone number to the same recipient "
            "phone number in a short period of time.",
        ),
        ErrorCode(
            132001,
            "Template name does not exist in the translation",
            "template name does not exist in the specified language or the template has "
            "not been approved.",
        ),
    ]
}

# Codes the stats count even when zero, so tests can compare a whole dict.
COUNTED_CODES = (100, 130429, 131000, 131026, 131047, 131048, 131056, 368)


def error_for(code: int) -> ErrorCode:
    return ERRORS.get(code) or ErrorCode(code, f"Error {code}", f"Error {code}.", 400)


class GraphError(Exception):
    """A Graph API error answered synchronously with Meta's envelope."""

    def __init__(self, code: int, details: str | None = None, http_status: int | None = None):
        self.error = error_for(code)
        self.code = code
        self.details = details or self.error.details
        self.http_status = http_status or self.error.http_status
        super().__init__(f"({code}) {self.details}")

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message": f"(#{self.code}) {self.error.title}",
            "type": "OAuthException",
            "code": self.code,
            "error_data": {"messaging_product": "whatsapp", "details": self.details},
        }
        if self.error.subcode:
            body["error_subcode"] = self.error.subcode
        body["fbtrace_id"] = fbtrace_id()
        return {"error": body}


def status_error(code: int) -> dict[str, Any]:
    """The `errors[]` item of a `failed` status webhook."""
    error = error_for(code)
    return {
        "code": code,
        "title": error.title,
        "message": error.title,
        "error_data": {"details": error.details},
        "href": ERROR_HREF,
    }


# --- ids ------------------------------------------------------------------------------------------


def fbtrace_id() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(17)).decode().rstrip("=")[:23]


def wamid(wa_id: str) -> str:
    """A message id shaped like Meta's: `wamid.` + base64 of the number and a random id."""
    digits = (wa_id or "0")[:20].encode()
    raw = (
        b"\x1c\x18"
        + bytes([len(digits)])
        + digits
        + b"\x15\x02\x00\x12\x18\x14"
        + secrets.token_hex(10).upper().encode()
        + b"\x00"
    )
    return "wamid." + base64.b64encode(raw).decode()


def media_id() -> str:
    return str(10**15 + secrets.randbelow(9 * 10**15))


def bsuid(wa_id: str) -> str:
    """A stable business-scoped user id (2026 BSUID), e.g. `ID.1349120865530274191`."""
    number = int.from_bytes(hashlib.sha256(f"bsuid:{wa_id}".encode()).digest()[:8], "big")
    return f"ID.{number:019d}"[:22]


def digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


# --- signing --------------------------------------------------------------------------------------


def dump(payload: dict[str, Any]) -> bytes:
    """Serialise a webhook like Meta does: compact, non-ASCII escaped as \\uXXXX."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode()


def signature(app_secret: str, body: bytes) -> str:
    """`X-Hub-Signature-256`: sha256=<hex HMAC-SHA256 of the raw body, key = app secret>."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_sha1(app_secret: str, body: bytes) -> str:
    """The legacy `X-Hub-Signature` header Meta still sends alongside."""
    return "sha1=" + hmac.new(app_secret.encode(), body, hashlib.sha1).hexdigest()


def sha256_b64(data: bytes) -> str:
    """Webhooks carry media hashes in base64 (Meta's sample: `SfInY0gG…=`)."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


# --- webhook envelopes ----------------------------------------------------------------------------


def envelope(waba_id: str, field: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba_id, "changes": [{"value": value, "field": field}]}],
    }


def metadata(display_phone_number: str, phone_number_id: str) -> dict[str, str]:
    return {
        "display_phone_number": digits(display_phone_number),
        "phone_number_id": phone_number_id,
    }


def message_value(
    meta: dict[str, str], contacts: list[dict[str, Any]], messages: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "metadata": meta,
        "contacts": contacts,
        "messages": messages,
    }


def status_value(
    meta: dict[str, str], statuses: list[dict[str, Any]], contacts: list[dict[str, Any]] | None
) -> dict[str, Any]:
    value: dict[str, Any] = {"messaging_product": "whatsapp", "metadata": meta}
    if contacts is not None:
        value["contacts"] = contacts
    value["statuses"] = statuses
    return value


def echo_value(meta: dict[str, str], echoes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "metadata": meta, "message_echoes": echoes}


def pricing(category: str, *, in_window: bool) -> dict[str, Any]:
    """Per-message pricing (PMP, since 2025-07-01): service replies are free in the window."""
    free = in_window and category in ("service", "utility")
    return {
        "billable": not free,
        "pricing_model": "PMP",
        "type": "free_customer_service" if free else "regular",
        "category": category,
    }
