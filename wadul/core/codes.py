"""One-time codes sent to a WhatsApp number to prove that whoever typed the number owns it
(a web reporter's number, an official's personal number).

Codes are six digits, stored only as an HMAC (keyed with SECRET_KEY), valid for
`CODE_VALID_MINUTES`, and refused after `CODE_MAX_ATTEMPTS` wrong tries. The channel that
delivers them registers itself in `SENDERS` (the WhatsApp app does), so the domain and the
surfaces never import a channel.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

CODE_VALID_MINUTES = 30
CODE_MAX_ATTEMPTS = 5

# (wa_id, text) -> True when the text was queued for delivery.
SENDERS: list[Callable[[str, str], bool]] = []


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def digest(code: str, purpose: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{code.strip()}".encode(), hashlib.sha256).hexdigest()


def matches(code: str, stored: str, purpose: str) -> bool:
    return hmac.compare_digest(digest(code, purpose).encode(), stored.encode())


def expiry():
    return timezone.now() + timedelta(minutes=CODE_VALID_MINUTES)


def send(wa_id: str, text: str) -> bool:
    """Hand the text to the first channel that takes it; False when none did."""
    return any(sender(wa_id, text) for sender in SENDERS)
