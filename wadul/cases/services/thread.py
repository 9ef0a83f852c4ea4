"""The thread: the citizen's messages, answers, automatic messages, notes and files."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import events, kinds
from wadul.cases.channels import Notice
from wadul.cases.models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    Channel,
    Contact,
    Message,
    Status,
    Via,
)
from wadul.cases.services._common import (
    CaseError,
    E,
    IllegalTransition,
    _ensure_can_act,
    _first_response_fields,
    _move,
    _new_message,
    _touch,
)
from wadul.organisation.models import Official

ATTACHMENT_TYPES: dict[str, str] = {
    "image/jpeg": Attachment.Kind.IMAGE,
    "image/png": Attachment.Kind.IMAGE,
    "image/webp": Attachment.Kind.IMAGE,
    "audio/ogg": Attachment.Kind.AUDIO,
    "audio/mpeg": Attachment.Kind.AUDIO,
    "audio/aac": Attachment.Kind.AUDIO,
    "audio/amr": Attachment.Kind.AUDIO,
    "audio/mp4": Attachment.Kind.AUDIO,
    "video/mp4": Attachment.Kind.VIDEO,
    "video/3gpp": Attachment.Kind.VIDEO,
    "application/pdf": Attachment.Kind.DOCUMENT,
    "application/msword": Attachment.Kind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        Attachment.Kind.DOCUMENT
    ),
    "application/vnd.ms-excel": Attachment.Kind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (Attachment.Kind.DOCUMENT),
    "text/plain": Attachment.Kind.DOCUMENT,
}


@transaction.atomic
def receive_message(
    case: Case,
    *,
    text: str,
    via: str = Via.WHATSAPP,
    at: datetime | None = None,
    external_id: str = "",
) -> Message:
    """A citizen's follow-up on an open case. Ends a clarification pause."""
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(_("The case is no longer open; reopen it first."))
    now = at or timezone.now()
    message = _new_message(
        case,
        Message.Direction.INBOUND,
        text,
        author=None,
        via=via,
        at=now,
        external_id=external_id,
    )
    inbound_fields = {"last_inbound_at": now} if case.channel == Channel.WHATSAPP else {}
    if case.status == Status.WAITING:
        _move(
            case,
            Status.IN_PROGRESS,
            E.MESSAGE_RECEIVED,
            actor=None,
            via=via,
            at=now,
            fields=inbound_fields,
            message=message,
        )
    else:
        _touch(case, now, **inbound_fields)
        events.record(case, E.MESSAGE_RECEIVED, actor=None, via=via, at=now, message=message)
    return message


@transaction.atomic
def answer(
    case: Case,
    *,
    text: str,
    actor: Official | None,
    via: str,
    at: datetime | None = None,
    notice: Notice | None = None,
) -> Message:
    """An official's answer to the citizen. The first one stops the first-response clock.
    `notice` tells the channel more than "an answer" (e.g. that it was already sent)."""
    _ensure_can_act(actor, case)
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(_("The case is no longer open; reopen it first."))
    if not text.strip():
        raise CaseError(_("The answer is empty."))
    now = at or timezone.now()
    message = _new_message(
        case, Message.Direction.OUTBOUND, text, author=actor, via=via, at=now, notice=notice
    )
    fields = _first_response_fields(case, now)
    # The answer moves the case on only where its kind's machine has that move.
    moves = case.status in {Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED}
    if moves and kinds.get(case.type).can_move(case.status, Status.ANSWERED):
        _move(
            case,
            Status.ANSWERED,
            E.ANSWERED,
            actor=actor,
            via=via,
            at=now,
            fields=fields,
            message=message,
        )
    else:
        _touch(case, now, **fields)
        events.record(case, E.ANSWERED, actor=actor, via=via, at=now, message=message)
    _copy_to_merged_reporters(case, text, author=actor, via=via, at=now)
    return message


def _copy_to_merged_reporters(
    case: Case, text: str, *, author: Official | None, via: str, at: datetime
) -> None:
    # The citizen of a case merged into this one follows its answers: the same text goes
    # out on each merged case's own thread (and channel), without changing its status.
    for merged in Case.objects.filter(duplicate_of=case, status=Status.MERGED):
        _new_message(merged, Message.Direction.OUTBOUND, text, author=author, via=via, at=at)
        _copy_to_merged_reporters(merged, text, author=author, via=via, at=at)


@transaction.atomic
def notify_citizen(
    case: Case,
    *,
    text: str,
    via: str = Via.SYSTEM,
    at: datetime | None = None,
    notice: Notice | None = None,
) -> Message:
    """An automatic message to the citizen (acknowledgement, status, rating request): kept in
    the thread and sent through the case's channel, but not an answer — no status change, no
    first response, no event."""
    if not text.strip():
        raise CaseError(_("The message is empty."))
    now = at or timezone.now()
    return _new_message(
        case, Message.Direction.OUTBOUND, text, author=None, via=via, at=now, notice=notice
    )


def record_privacy_notice(contact: Contact, at: datetime) -> bool:
    """Note that the citizen was shown the privacy notice; True only the first time."""
    updated = Contact.objects.filter(pk=contact.pk, consent_at__isnull=True).update(consent_at=at)
    if updated:
        contact.consent_at = at
    return bool(updated)


@transaction.atomic
def add_note(
    case: Case, *, text: str, actor: Official, via: str, at: datetime | None = None
) -> Message:
    """An internal note: visible to staff only, never sent to the citizen."""
    _ensure_can_act(actor, case)
    if not text.strip():
        raise CaseError(_("The note is empty."))
    now = at or timezone.now()
    message = _new_message(case, Message.Direction.NOTE, text, author=actor, via=via, at=now)
    events.record(case, E.NOTE_ADDED, actor=actor, via=via, at=now, message=message)
    return message


@transaction.atomic
def add_attachment(
    case: Case,
    *,
    file: File,
    content_type: str,
    actor: Official | None,
    via: str,
    message: Message | None = None,
    original_name: str = "",
) -> Attachment:
    """Store a file on a case after checking its type and size."""
    content_type = (content_type or "").split(";")[0].strip().lower()
    if not content_type and original_name:
        content_type = mimetypes.guess_type(original_name)[0] or ""
    kind = ATTACHMENT_TYPES.get(content_type)
    if kind is None:
        raise ValidationError(
            _("Files of type %(type)s are not accepted."), params={"type": content_type or "?"}
        )
    size = file.size
    if size is None or size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB."),
            params={"limit": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    attachment = Attachment(
        case=case,
        message=message,
        kind=kind,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        original_name=(original_name or getattr(file, "name", "") or "")[:200],
    )
    fallback_name = "file" + (mimetypes.guess_extension(content_type) or "")
    attachment.file.save(original_name or fallback_name, file, save=False)
    attachment.save()
    events.record(
        case,
        E.ATTACHMENT_ADDED,
        actor=actor,
        via=via,
        message=message,
        attachment=attachment.pk,
        media=kind,
    )
    return attachment


D = Message.Delivery
# Once a message has arrived it never moves back: a late `delivered` leaves `read`, and a
# failure or a resend counts only before delivery. Before that the newest send speaks (a
# template resend after a failure makes a sent message pending again).
DELIVERY_KEEPS = {
    D.READ: set(),
    D.DELIVERED: {D.READ},
    **{state: {D.DELIVERED, D.READ} for state in (D.NOT_APPLICABLE, D.PENDING, D.SENT, D.FAILED)},
}


def set_delivery(message: Message, state: str, error: str = "", external_id: str = "") -> bool:
    """Record how far an outbound message has come on its channel (the channel's outbox,
    status webhooks and media downloads call this). Compare-and-set on `DELIVERY_KEEPS`, so
    reports may arrive in any order. `external_id` (the channel's id, e.g. a wamid) is kept
    when empty. Says whether the message changed.

    The message row is the record: the channel keeps each report it got (WhatsApp's status
    webhooks in `MessageStatus`), so no case event is written per report."""
    fields: dict[str, str] = {"delivery": state, "delivery_error": error[:300]}
    if external_id:
        fields["external_id"] = external_id
    changed = (
        Message.objects.filter(pk=message.pk)
        .exclude(delivery__in=DELIVERY_KEEPS[state])
        .update(**fields)
    )
    if changed:
        for name, value in fields.items():
            setattr(message, name, value)
    return bool(changed)
