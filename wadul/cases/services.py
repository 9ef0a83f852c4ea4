"""The only code that changes case state.

Every verb is atomic, takes a keyword-only `actor` (an Official, or None for the system or
the citizen) and `via` (the surface it came through), checks the state machine, applies the
change with compare-and-set on the status, and writes one event per change through
`wadul.cases.events.record`. Views, the WhatsApp processor, the API and the admin call these.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import access, events, states, tracking
from wadul.cases.models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseEvent,
    CaseType,
    Channel,
    Contact,
    Message,
    Priority,
    Status,
    Via,
    Visibility,
)
from wadul.core import formats
from wadul.organisation.models import Official, Region, Unit, WhatsAppNumber

E = CaseEvent.Kind


historical_import = events.historical_import


class CaseError(Exception):
    """A request the domain refuses; the message is safe to show to the user."""


class IllegalTransition(CaseError):
    pass


class StaleCase(CaseError):
    """Someone else changed the case first (compare-and-set found another status)."""


# Channel code registers how an outbound message reaches the citizen (e.g. the WhatsApp
# outbox). Called inside the transaction that creates the message, so the outbox row and
# the message commit together.
DELIVERERS: dict[str, Callable[[Message], None]] = {}

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


# --- helpers ---------------------------------------------------------------------------------


def _ensure_can_act(actor: Official | None, case: Case) -> None:
    if actor is not None and not access.can_act(actor, case):
        raise PermissionDenied(_("You may not change this case."))


def _move(
    case: Case,
    to_status: str,
    kind: str,
    *,
    actor: Official | None,
    via: str,
    at: datetime | None = None,
    fields: dict[str, Any] | None = None,
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
    message: Message | None = None,
    **data: Any,
) -> CaseEvent:
    """Apply one status change with compare-and-set and record its event."""
    from_status = case.status
    if not states.can_move(from_status, to_status):
        raise IllegalTransition(
            _("A case that is %(from)s cannot become %(to)s.")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    now = at or timezone.now()
    changes = {"status": to_status, "updated_at": now, **(fields or {})}
    updated = Case.objects.filter(pk=case.pk, status=from_status).update(**changes)
    if updated != 1:
        raise StaleCase(_("The case was changed by someone else; reload and try again."))
    for name, value in changes.items():
        setattr(case, name, value)
    return events.record(
        case,
        kind,
        actor=actor,
        via=via,
        at=now,
        from_status=from_status,
        to_status=to_status,
        from_unit=from_unit,
        to_unit=to_unit,
        message=message,
        **data,
    )


def _touch(case: Case, at: datetime, **fields: Any) -> None:
    fields["updated_at"] = at
    Case.objects.filter(pk=case.pk).update(**fields)
    for name, value in fields.items():
        setattr(case, name, value)


def _new_message(
    case: Case,
    direction: str,
    text: str,
    *,
    author: Official | None,
    via: str,
    at: datetime,
    external_id: str = "",
) -> Message:
    outbound = direction == Message.Direction.OUTBOUND
    deliverer = DELIVERERS.get(case.channel) if outbound else None
    delivery = Message.Delivery.PENDING if deliverer else Message.Delivery.NOT_APPLICABLE
    if outbound and events.is_historical():
        deliverer, delivery = None, Message.Delivery.READ
    message = Message.objects.create(
        case=case,
        direction=direction,
        text=text,
        author=author,
        via=via,
        created_at=at,
        external_id=external_id,
        delivery=delivery,
    )
    if deliverer:
        deliverer(message)
    return message


def _first_response_fields(case: Case, at: datetime) -> dict[str, Any]:
    return {} if case.first_response_at else {"first_response_at": at}


# --- opening ---------------------------------------------------------------------------------


def open_case(
    *,
    channel: str,
    text: str,
    via: str,
    contact: Contact | None = None,
    channel_number: WhatsAppNumber | None = None,
    type: str = CaseType.COMPLAINT,
    unit: Unit | None = None,
    visibility: str = Visibility.PUBLIC,
    priority: str = Priority.NORMAL,
    region: Region | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    subject: str = "",
    actor: Official | None = None,
    at: datetime | None = None,
    external_id: str = "",
) -> Case:
    """Open a case from a citizen's first message: assigned to `unit`, or sent to triage."""
    if channel not in Channel.values:
        raise CaseError(_("Unknown channel."))
    if unit is not None and unit.is_external:
        raise CaseError(_("A case cannot be assigned to an external institution; refer it."))
    now = at or timezone.now()
    with transaction.atomic():
        case = _create_with_unique_tracking_number(
            type=type,
            channel=channel,
            channel_number=channel_number,
            contact=contact,
            visibility=visibility,
            priority=priority,
            subject=subject or subject_from(text),
            description=text,
            region=region,
            latitude=latitude,
            longitude=longitude,
            created_at=now,
            updated_at=now,
            last_inbound_at=now if channel == Channel.WHATSAPP else None,
        )
        message = None
        # A photo without caption still is a message with its channel id (e.g. a wamid).
        if text or external_id:
            message = _new_message(
                case,
                Message.Direction.INBOUND,
                text,
                author=None,
                via=via,
                at=now,
                external_id=external_id,
            )
        # The assignment or triage below always follows, and its hooks see this event too.
        events.record(
            case,
            E.OPENED,
            actor=actor,
            via=via,
            at=now,
            to_status=Status.RECEIVED,
            message=message,
            channel=channel,
            hooks=False,
        )
        if unit is not None:
            _move(
                case,
                Status.ASSIGNED,
                E.ASSIGNED,
                actor=actor,
                via=via,
                at=now,
                fields={"unit": unit},
                to_unit=unit,
            )
        else:
            _move(case, Status.TRIAGE, E.TRIAGED, actor=actor, via=via, at=now)
    return case


def subject_from(text: str) -> str:
    """A case's default subject: the first line of the report (the portal masks by it)."""
    first_line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return formats.shorten(first_line, 120)


def _create_with_unique_tracking_number(**fields: Any) -> Case:
    # The unique index is the arbiter: on the rare collision, draw again (inside a savepoint
    # so the surrounding transaction survives on PostgreSQL).
    for _attempt in range(10):
        case = Case(tracking_number=tracking.random_tracking_number(), **fields)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return case
        except IntegrityError:
            if not Case.objects.filter(tracking_number=case.tracking_number).exists():
                raise
    raise CaseError("Could not draw a free tracking number.")


# --- the thread ------------------------------------------------------------------------------


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
    case: Case, *, text: str, actor: Official | None, via: str, at: datetime | None = None
) -> Message:
    """An official's answer to the citizen. The first one stops the first-response clock."""
    _ensure_can_act(actor, case)
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(_("The case is no longer open; reopen it first."))
    if not text.strip():
        raise CaseError(_("The answer is empty."))
    now = at or timezone.now()
    message = _new_message(case, Message.Direction.OUTBOUND, text, author=actor, via=via, at=now)
    fields = _first_response_fields(case, now)
    if case.status in {Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED}:
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
    case: Case, *, text: str, via: str = Via.SYSTEM, at: datetime | None = None
) -> Message:
    """An automatic message to the citizen (acknowledgement, status, rating request): kept in
    the thread and sent through the case's channel, but not an answer — no status change, no
    first response, no event."""
    if not text.strip():
        raise CaseError(_("The message is empty."))
    now = at or timezone.now()
    return _new_message(case, Message.Direction.OUTBOUND, text, author=None, via=via, at=now)


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


# --- who handles it --------------------------------------------------------------------------


@transaction.atomic
def assign(
    case: Case,
    *,
    actor: Official | None,
    via: str,
    unit: Unit | None = None,
    official: Official | None = None,
    at: datetime | None = None,
) -> Case:
    """Give a case from triage to a unit, and/or to one official of its unit."""
    _ensure_can_act(actor, case)
    target_unit = unit or case.unit
    if target_unit is None:
        raise CaseError(_("Choose a unit."))
    if target_unit.is_external:
        raise CaseError(_("A case cannot be assigned to an external institution; refer it."))
    if official is not None and not access.unit_covers(official, target_unit):
        raise CaseError(
            _("%(name)s does not work in %(unit)s.") % {"name": official, "unit": target_unit}
        )
    if (
        case.unit_id is not None
        and target_unit.pk != case.unit_id
        and case.status
        not in {
            Status.RECEIVED,
            Status.TRIAGE,
        }
    ):
        raise CaseError(_("The case already belongs to a unit; transfer it instead."))
    now = at or timezone.now()
    fields = {"unit": target_unit, "assigned_to": official}
    if case.status in {Status.RECEIVED, Status.TRIAGE, Status.REOPENED}:
        _move(
            case,
            Status.ASSIGNED,
            E.ASSIGNED,
            actor=actor,
            via=via,
            at=now,
            fields=fields,
            from_unit=case.unit,
            to_unit=target_unit,
            official=official.pk if official else None,
        )
    elif case.status in OPEN_STATUSES:
        _touch(case, now, assigned_to=official)
        events.record(
            case,
            E.ASSIGNED,
            actor=actor,
            via=via,
            at=now,
            from_unit=case.unit,
            to_unit=target_unit,
            official=official.pk if official else None,
        )
    else:
        raise IllegalTransition(_("Only open cases can be assigned."))
    return case


@transaction.atomic
def transfer(
    case: Case,
    *,
    to_unit: Unit,
    reason: str,
    actor: Official | None,
    via: str,
    at: datetime | None = None,
) -> Case:
    """Move a case to another unit of the regency, with the reason."""
    _ensure_can_act(actor, case)
    if to_unit.is_external:
        raise CaseError(_("Use referral for external institutions."))
    if to_unit.pk == case.unit_id:
        raise CaseError(_("The case is already with %(unit)s.") % {"unit": to_unit})
    if not reason.strip():
        raise CaseError(_("Give a reason for the transfer."))
    if case.status in {Status.RECEIVED, Status.TRIAGE}:
        raise IllegalTransition(_("A case in triage is assigned, not transferred."))
    _move(
        case,
        Status.ASSIGNED,
        E.TRANSFERRED,
        actor=actor,
        via=via,
        at=at,
        fields={"unit": to_unit, "assigned_to": None},
        from_unit=case.unit,
        to_unit=to_unit,
        reason=reason,
    )
    return case


@transaction.atomic
def return_to_triage(
    case: Case, *, reason: str, actor: Official | None, via: str, at: datetime | None = None
) -> Case:
    """A unit says the case is not theirs and does not know whose it is."""
    _ensure_can_act(actor, case)
    _move(
        case,
        Status.TRIAGE,
        E.TRIAGED,
        actor=actor,
        via=via,
        at=at,
        fields={"unit": None, "assigned_to": None},
        from_unit=case.unit,
        reason=reason,
    )
    return case


@transaction.atomic
def start_work(case: Case, *, actor: Official | None, via: str, at: datetime | None = None) -> Case:
    _ensure_can_act(actor, case)
    _move(case, Status.IN_PROGRESS, E.STARTED, actor=actor, via=via, at=at)
    return case


@transaction.atomic
def request_clarification(
    case: Case, *, text: str, actor: Official | None, via: str, at: datetime | None = None
) -> Message:
    """Ask the citizen for more information; the clock pauses until they reply."""
    _ensure_can_act(actor, case)
    if not text.strip():
        raise CaseError(_("Write the question for the citizen."))
    if not states.can_move(case.status, Status.WAITING):
        raise IllegalTransition(_("This case cannot wait for the citizen now."))
    now = at or timezone.now()
    message = _new_message(case, Message.Direction.OUTBOUND, text, author=actor, via=via, at=now)
    _move(
        case,
        Status.WAITING,
        E.CLARIFICATION_REQUESTED,
        actor=actor,
        via=via,
        at=now,
        fields=_first_response_fields(case, now),
        message=message,
    )
    return message


@transaction.atomic
def refer_outside(
    case: Case,
    *,
    institution: Unit,
    actor: Official | None,
    via: str,
    note: str = "",
    at: datetime | None = None,
) -> Case:
    """The matter is not the regency's authority: tell the citizen where to go."""
    _ensure_can_act(actor, case)
    if not institution.is_external:
        raise CaseError(_("Referral is for external institutions; transfer to a unit instead."))
    if not states.can_move(case.status, Status.REFERRED):
        raise IllegalTransition(_("This case cannot be referred now."))
    now = at or timezone.now()
    text = (
        note.strip()
        or institution.referral_text
        or _("Your report is the responsibility of %(institution)s. Please contact them directly.")
        % {"institution": institution.name}
    )
    message = _new_message(case, Message.Direction.OUTBOUND, text, author=actor, via=via, at=now)
    _move(
        case,
        Status.REFERRED,
        E.REFERRED,
        actor=actor,
        via=via,
        at=now,
        fields={"referred_to": institution, **_first_response_fields(case, now)},
        from_unit=case.unit,
        to_unit=institution,
        message=message,
    )
    return case


@transaction.atomic
def mark_duplicate(
    case: Case, *, of: Case, actor: Official | None, via: str, at: datetime | None = None
) -> Case:
    """Merge `case` into `of`: the reporter then follows the surviving case."""
    _ensure_can_act(actor, case)
    survivor = of
    while survivor.duplicate_of_id is not None:
        survivor = survivor.duplicate_of
    if survivor.pk == case.pk:
        raise CaseError(_("A case cannot be a duplicate of itself."))
    if survivor.status == Status.MERGED:
        raise CaseError(_("The surviving case was itself merged."))
    _move(
        case,
        Status.MERGED,
        E.MERGED,
        actor=actor,
        via=via,
        at=at,
        fields={"duplicate_of": survivor},
        into=survivor.tracking_number,
    )
    return case


@transaction.atomic
def reject(
    case: Case, *, reason: str, actor: Official | None, via: str, at: datetime | None = None
) -> Case:
    """Spam, abuse or not a matter at all."""
    _ensure_can_act(actor, case)
    _move(case, Status.REJECTED, E.REJECTED, actor=actor, via=via, at=at, reason=reason)
    return case


# --- ending ----------------------------------------------------------------------------------


@transaction.atomic
def resolve(
    case: Case,
    *,
    actor: Official | None,
    via: str,
    note: str = "",
    at: datetime | None = None,
) -> Case:
    _ensure_can_act(actor, case)
    now = at or timezone.now()
    _move(
        case,
        Status.RESOLVED,
        E.RESOLVED,
        actor=actor,
        via=via,
        at=now,
        fields={"resolved_at": now},
        note=note,
    )
    return case


@transaction.atomic
def close(case: Case, *, actor: Official | None, via: str, at: datetime | None = None) -> Case:
    _ensure_can_act(actor, case)
    now = at or timezone.now()
    _move(case, Status.CLOSED, E.CLOSED, actor=actor, via=via, at=now, fields={"closed_at": now})
    return case


@transaction.atomic
def reopen(
    case: Case,
    *,
    actor: Official | None,
    via: str,
    reason: str = "",
    at: datetime | None = None,
) -> Case:
    """Reopen a resolved, closed or referred case (a citizen's reply within the grace period
    does this with actor=None)."""
    _ensure_can_act(actor, case)
    _move(
        case,
        Status.REOPENED,
        E.REOPENED,
        actor=actor,
        via=via,
        at=at,
        fields={"resolved_at": None, "closed_at": None},
        reason=reason,
    )
    return case


@transaction.atomic
def rate(
    case: Case, *, rating: int, via: str, comment: str = "", at: datetime | None = None
) -> Case:
    """The citizen's rating of a resolved case, recorded once."""
    if not 1 <= int(rating) <= 5:
        raise CaseError(_("A rating is from 1 to 5."))
    if case.status not in {Status.RESOLVED, Status.CLOSED}:
        raise IllegalTransition(_("Only resolved cases can be rated."))
    now = at or timezone.now()
    updated = Case.objects.filter(pk=case.pk, rating__isnull=True).update(
        rating=rating, rating_comment=comment, updated_at=now
    )
    if updated != 1:
        raise CaseError(_("This case has already been rated."))
    case.rating, case.rating_comment = int(rating), comment
    events.record(case, E.RATED, actor=None, via=via, at=now, rating=int(rating))
    return case


# --- attributes ------------------------------------------------------------------------------


@transaction.atomic
def set_visibility(case: Case, *, visibility: str, actor: Official | None, via: str) -> Case:
    _ensure_can_act(actor, case)
    if visibility not in Visibility.values:
        raise CaseError(_("Unknown visibility."))
    old = case.visibility
    if old != visibility:
        _touch(case, timezone.now(), visibility=visibility)
        events.record(case, E.VISIBILITY_CHANGED, actor=actor, via=via, old=old, new=visibility)
    return case


@transaction.atomic
def set_priority(case: Case, *, priority: str, actor: Official | None, via: str) -> Case:
    _ensure_can_act(actor, case)
    if priority not in Priority.values:
        raise CaseError(_("Unknown priority."))
    old = case.priority
    if old != priority:
        _touch(case, timezone.now(), priority=priority)
        events.record(case, E.PRIORITY_CHANGED, actor=actor, via=via, old=old, new=priority)
    return case


@transaction.atomic
def set_location(
    case: Case,
    *,
    actor: Official | None,
    via: str,
    region: Region | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    at: datetime | None = None,
) -> Case:
    """Record where the matter is: a desa, and/or a pin."""
    _ensure_can_act(actor, case)
    if (latitude is None) != (longitude is None):
        raise CaseError(_("A location needs both latitude and longitude."))
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise CaseError(_("The coordinates are out of range."))
    fields: dict[str, Any] = {}
    if region is not None:
        fields["region"] = region
    if latitude is not None:
        fields.update(latitude=latitude, longitude=longitude)
    if fields:
        now = at or timezone.now()
        _touch(case, now, **fields)
        events.record(
            case,
            E.LOCATION_SET,
            actor=actor,
            via=via,
            at=now,
            region=region.code if region else None,
            latitude=latitude,
            longitude=longitude,
        )
    return case
