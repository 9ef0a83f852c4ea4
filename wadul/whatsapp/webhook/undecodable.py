"""Signed webhook bodies that cannot be decoded (invalid UTF-8, nesting too deep for the
parser, numbers it refuses) are kept, flagged, for a person to look at: Meta signed them, so
they are Meta's, and nothing Meta sends is dropped without a trace. The webhook answers 400.
"""

from __future__ import annotations

import json
import logging

from django.db import transaction
from django.utils import timezone

from wadul.core.db import one_writer
from wadul.whatsapp.models import WebhookDelivery

log = logging.getLogger(__name__)


def decode(body: bytes) -> str | None:
    """The body as text when it is JSON Python can read, else None."""
    try:
        text = body.decode("utf-8")
        json.loads(text)
    except (ValueError, RecursionError):
        return None
    return text


def keep(body: bytes, reason: str) -> None:
    """Store the body flagged (never pending: the parser cannot read it either)."""
    # Text columns take neither invalid UTF-8 nor NUL (PostgreSQL): both are escaped.
    text = body.decode("utf-8", errors="backslashreplace").replace("\x00", "\\x00")
    try:
        with one_writer(), transaction.atomic():
            WebhookDelivery.objects.create(
                received_at=timezone.now(),
                body=text,
                state=WebhookDelivery.State.FLAGGED,
                notes=f"not decodable: {reason}",
            )
    except Exception:  # noqa: BLE001 (the 400 must still be answered)
        log.exception("could not keep an undecodable webhook body")
