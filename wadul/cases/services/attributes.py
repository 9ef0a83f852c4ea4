"""A case's attributes: visibility, priority, location, and which photos may be published."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import events
from wadul.cases.models import Attachment, Case, Priority, Visibility
from wadul.cases.services._common import CaseError, E, _ensure_can_act, _touch
from wadul.organisation.models import Official, Region


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


@transaction.atomic
def approve_attachment(
    attachment: Attachment,
    *,
    actor: Official | None,
    via: str,
    approved: bool = True,
    at: datetime | None = None,
) -> Attachment:
    """Decide whether a photo may appear on the portal (only approved photos of published
    cases do); records `attachment_approval` when the decision changes it."""
    case = attachment.case
    _ensure_can_act(actor, case)
    if attachment.kind != Attachment.Kind.IMAGE:
        raise CaseError(_("Only photos are published."))
    now = at or timezone.now()
    updated = Attachment.objects.filter(pk=attachment.pk).exclude(approved_for_public=approved)
    if updated.update(approved_for_public=approved):
        events.record(
            case,
            E.ATTACHMENT_APPROVAL,
            actor=actor,
            via=via,
            at=now,
            attachment=attachment.pk,
            approved=approved,
        )
    attachment.approved_for_public = approved
    return attachment
