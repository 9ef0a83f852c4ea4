"""Opening a case from a citizen's first message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import channels, events, kinds, tracking
from wadul.cases.models import (
    Case,
    CaseType,
    Channel,
    Contact,
    Message,
    Priority,
    Status,
    Visibility,
)
from wadul.cases.services._common import CaseError, E, _move, _new_message
from wadul.core import formats
from wadul.organisation.models import Official, Region, Unit, WhatsAppNumber

historical_import = events.historical_import


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
    details: dict[str, Any] | None = None,
) -> Case:
    """Open a case from a citizen's first message: assigned to `unit`, or sent to triage.
    `details` are what the kind's intake collected."""
    if channel not in Channel.values and not channels.carries(channel):
        raise CaseError(_("Unknown channel."))
    if type not in kinds.codes(kinds.all_kinds()):
        raise CaseError(_("Unknown request kind."))
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
            details=details or None,
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
