"""Fetch photos, voice notes, videos and documents from the Graph media endpoints.

Two calls per file (Meta: business-phone-numbers/media): GET /<MEDIA_ID> gives a URL valid
for five minutes, then GET that URL with the bearer token gives the bytes. The checksum from
Meta is verified before the file is stored on the case (through the case services). No
transaction is held during the downloads.

A citizen's file joins their message. An official's file (the relay) joins the answer that
was held for it, and then goes to the citizen with it (`outbox.deliver_attachment`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from wadul.cases import services as case_services
from wadul.cases.models import Case, Message, Via
from wadul.core import images
from wadul.whatsapp import nudge
from wadul.whatsapp.models import InboundMessage, MediaDownload
from wadul.whatsapp.outbound import graph, outbox

if TYPE_CHECKING:  # the payload's types only: the webhook's parser is not run from here
    from wadul.whatsapp.webhook import parser

logger = logging.getLogger(__name__)

State = MediaDownload.State
MAX_ATTEMPTS = 5
# A claimed download is retried after this long if its worker died.
LEASE = timedelta(minutes=5)


def queue(
    inbound: InboundMessage, case: Case, message: Message | None, media: parser.Media
) -> MediaDownload:
    """Fetch the file of an inbound message for `message` on `case` (inside the caller's
    transaction; the download starts after commit)."""
    row = MediaDownload.objects.create(
        inbound=inbound,
        case=case,
        message=message,
        media_id=media.id[:200],
        mime_type=media.mime_type[:100],
        sha256=media.sha256[:100],
        filename=media.filename[:200],
    )
    nudge.kick_on_commit("download_media")
    return row


def drain(budget_seconds: float = 2.0) -> int:
    deadline = time.monotonic() + budget_seconds
    done = 0
    while time.monotonic() < deadline:
        row = (
            MediaDownload.objects.filter(state=State.PENDING, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at", "id")
            .first()
        )
        if row is None:
            break
        if _claim(row):
            fetch(row)
            done += 1
    later = MediaDownload.objects.filter(state=State.PENDING).aggregate(at=Min("next_attempt_at"))
    if later["at"] is not None:
        nudge.kick("download_media", later["at"])
    return done


def _claim(row: MediaDownload) -> bool:
    lease_until = timezone.now() + LEASE
    claimed = MediaDownload.objects.filter(
        pk=row.pk, state=State.PENDING, next_attempt_at=row.next_attempt_at
    ).update(next_attempt_at=lease_until, attempts=F("attempts") + 1)
    row.attempts += 1
    return claimed == 1


def fetch(row: MediaDownload) -> None:
    number = row.inbound.number
    info = graph.media_info(row.media_id, number.phone_number_id if number else "")
    if not info.ok:
        permanent = info.status_code in (400, 404) and info.outcome == graph.Outcome.REFUSED
        _failed(row, f"media info: {info.error_detail}", permanent=permanent)
        return
    url = str(info.data.get("url") or "")
    size = info.data.get("file_size")
    too_big = str(size).isdigit() and int(str(size)) > settings.ATTACHMENT_MAX_BYTES
    if too_big:
        _failed(row, f"file of {size} bytes is larger than allowed", permanent=True)
        return
    if not url:
        _failed(row, "media info without url", permanent=False)
        return
    blob = graph.download(url)
    if not blob.ok:
        _failed(row, f"download: {blob.error_detail}", permanent=False)
        return
    expected = str(info.data.get("sha256") or row.sha256 or "")
    if expected and not checksum_matches(blob.content, expected):
        _failed(row, "checksum mismatch", permanent=False)
        return
    content_type = row.mime_type or str(info.data.get("mime_type") or "") or blob.content_type
    answer = _held_answer(row)
    # A citizen's file: images without metadata, and no file name kept (it may be theirs).
    try:
        content, content_type = images.cleaned_upload(blob.content, content_type)
    except images.NotAnImage as error:
        _failed(row, f"image could not be cleaned: {error}", permanent=True)
        return
    name = row.filename if answer else ""
    try:
        with transaction.atomic():
            attachment = case_services.add_attachment(
                row.case,
                file=ContentFile(content, name=name or "media"),
                content_type=content_type,
                actor=answer.author if answer else None,
                via=answer.via if answer else Via.WHATSAPP,
                message=row.message,
                original_name=name,
            )
            MediaDownload.objects.filter(pk=row.pk).update(
                state=State.DONE, attachment=attachment, error=""
            )
            if answer is not None:
                outbox.deliver_attachment(answer, attachment)
    except ValidationError as error:
        _failed(row, "; ".join(error.messages), permanent=True)


def _held_answer(row: MediaDownload) -> Message | None:
    """The official's answer held back for this file (the relay), if it is one: sent with
    the file once it is here. (An answer on a case from another channel just keeps it.)"""
    message = row.message
    if (
        message is None
        or message.direction != Message.Direction.OUTBOUND
        or message.delivery != Message.Delivery.PENDING
        or message.whatsapp_sends.exists()
    ):
        return None
    return message


def checksum_matches(content: bytes, expected: str) -> bool:
    """Meta gives SHA-256 as hex (media endpoint) or base64 (webhook payloads)."""
    digest = hashlib.sha256(content)
    expected = expected.strip()
    return expected.lower() == digest.hexdigest() or expected == base64.b64encode(
        digest.digest()
    ).decode("ascii")


def _failed(row: MediaDownload, error: str, *, permanent: bool) -> None:
    logger.warning("media %s: %s", row.media_id, error)
    if permanent or row.attempts >= MAX_ATTEMPTS:
        with transaction.atomic():
            MediaDownload.objects.filter(pk=row.pk).update(state=State.FAILED, error=error[:500])
            if _held_answer(row) is not None:  # the answer waited for this file: it stays unsent
                reason = f"The file could not be fetched from WhatsApp: {error}"
                case_services.set_delivery(row.message, Message.Delivery.FAILED, reason)
        return
    delay = timedelta(seconds=min(4**row.attempts, 600))
    MediaDownload.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() + delay, error=error[:500]
    )
