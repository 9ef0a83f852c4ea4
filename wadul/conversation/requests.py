"""Finding the case a citizen's message belongs to, and opening a new one."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from wadul.cases import kinds
from wadul.cases import services as case_services
from wadul.cases.models import OPEN_STATUSES, Case, Contact, Status
from wadul.conversation import notices
from wadul.conversation.messages import Entry, Inbound, Outcome
from wadul.core import compiled
from wadul.organisation.models import Unit, WhatsAppNumber
from wadul.routing import boundaries
from wadul.routing.router import is_emergency


def open_request(
    inbound: Inbound,
    *,
    kind: kinds.RequestKind,
    text: str,
    unit: Unit | None = None,
    details: dict | None = None,
    emergency: str = "",
) -> Case:
    """Open a case of `kind` from a citizen's message and acknowledge it."""
    entry = inbound.entry
    case = case_services.open_case(
        channel=entry.channel,
        text=text,
        via=inbound.via,
        contact=inbound.contact,
        channel_number=entry.number,
        type=kind.code,
        unit=unit,
        at=inbound.at,
        external_id=inbound.external_id,
        details=details or {},
    )
    notices.acknowledge(case, inbound.contact, address=inbound.address, emergency=emergency)
    return case


def open_from_message(inbound: Inbound, kind: kinds.RequestKind) -> Outcome:
    """A citizen's first message about a matter opens a case of `kind` on the entry's unit
    (an emergency is told to call 112 before anything else)."""
    case = open_request(
        inbound,
        kind=kind,
        text=inbound.text,
        unit=inbound.entry.unit,
        emergency=_emergency_advice(inbound),
    )
    message = case.messages.filter(external_id=inbound.external_id).first()
    if inbound.location is not None and inbound.location.valid:
        set_location(case, inbound)
    return Outcome("opened", case, message)


def _emergency_advice(inbound: Inbound) -> str:
    if not inbound.text.strip():
        return ""
    return notices.EMERGENCY_ADVICE if is_emergency(inbound.text) else ""


def set_location(case: Case, inbound: Inbound) -> None:
    """A pin: the case's coordinates and the desa they fall in, told to the citizen."""
    latitude, longitude = inbound.location.latitude, inbound.location.longitude
    region = boundaries.region_at(latitude, longitude)
    case_services.set_location(
        case,
        actor=None,
        via=inbound.via,
        region=region,
        latitude=latitude,
        longitude=longitude,
        at=inbound.at,
    )
    notices.location_noted(case, region, latitude, longitude)


def find_case(contact: Contact, entry: Entry, at: datetime) -> tuple[Case | None, str]:
    """The case a message belongs to: ("append" to an open case), ("reopen" an ended case
    within the grace period) or (None, "new")."""
    cases = _cases_of(contact, entry)
    last = next((case for case in cases if case.status in OPEN_STATUSES), None)
    last = last or (cases[0] if cases else None)
    seen = set()
    while last is not None and last.status == Status.MERGED and last.pk not in seen:
        seen.add(last.pk)
        last = last.duplicate_of
    if last is None:
        return None, "new"
    if last.status in OPEN_STATUSES:
        return last, "append"
    if last.status in (Status.RESOLVED, Status.CLOSED, Status.REFERRED):
        ended = last.closed_at or last.resolved_at or last.updated_at
        if at - ended <= timedelta(days=settings.CASE_REOPEN_GRACE_DAYS):
            return last, "reopen"
    return None, "new"


def _cases_of_contact() -> QuerySet[Case]:
    return Case.objects.filter(contact_id=0).order_by()


def open_case_of(contact: Contact, entry: Entry) -> Case | None:
    return next((c for c in _cases_of(contact, entry) if c.status in OPEN_STATUSES), None)


def _cases_of(contact: Contact, entry: Entry) -> list[Case]:
    # By contact (a citizen has few cases, and the (contact, status) index finds them);
    # filtering by number in SQL made SQLite scan every case of the number instead. The
    # cases alone, unordered (sorted here): this runs for every message, and a follow-up
    # needs neither the unit nor the number; whoever does reads them when needed.
    # It runs for every message: compiled once (the ORM's compiling costs three times the
    # running).
    number_id = entry.number.pk if isinstance(entry.number, WhatsAppNumber) else None
    cases = compiled.rows(Case, _cases_of_contact, (0,), [contact.pk])
    return sorted(
        (
            case
            for case in cases
            if case.channel_number_id == number_id and case.channel == entry.channel
        ),
        key=lambda case: case.created_at,
        reverse=True,
    )


def open_from_form(*, contact: Contact | None, **fields) -> Case:
    """Open a case from a form (the portal's, Open311's): the same verb and the same
    acknowledgement as a conversation, through the case's channel (a reporter who gave a
    WhatsApp number gets it there too)."""
    case = case_services.open_case(contact=contact, **fields)
    if contact is not None:
        notices.acknowledge(case, contact)
    return case
