"""The rules of a citizen's conversation, for every channel and every request kind.

First message → a new case on the entry's unit (triage on the central number) and an
acknowledgement with the tracking number (plus the privacy notice on first contact). Later
messages append to the open case; after it ends, a message within the grace period reopens
it and a later one opens a new case. A pin sets the case's location. "status <number>"
answers with the case's status; a rating tap is recorded; a menu choice starts the intake
of a request kind, which asks its questions one at a time (`intake.py`).
"""

from __future__ import annotations

import re

from wadul.cases import kinds
from wadul.cases import services as case_services
from wadul.cases.channels import Purpose
from wadul.cases.models import Case
from wadul.conversation import intake, notices, requests
from wadul.conversation.messages import Inbound, Outcome
from wadul.routing import boundaries

STATUS_COMMAND = re.compile(r"^\s*(?:cek\s+)?status\b[\s:]*(.*)$", re.IGNORECASE | re.DOTALL)
RATING_REPLY = re.compile(r"^rate:([A-Za-z0-9-]{8,9}):([1-5])$")
KIND_CHOICE = re.compile(r"^kind:([a-z][a-z0-9_]{0,23})$")


def receive(inbound: Inbound) -> Outcome:
    """Apply one citizen's message (inside the caller's transaction)."""
    if inbound.reply_id:
        rating = RATING_REPLY.match(inbound.reply_id)
        if rating:
            return notices.rate(inbound, rating.group(1), int(rating.group(2)))
        choice = KIND_CHOICE.match(inbound.reply_id)
        if choice and choice.group(1) in kinds.codes(kinds.all_kinds()):
            return intake.start(inbound, kinds.get(choice.group(1)))
    command = STATUS_COMMAND.match(inbound.text) if inbound.form == "text" else None
    if command:
        return notices.status(inbound, command.group(1))
    session = intake.open_session(inbound)
    if session is not None:
        return intake.answer(session, inbound)
    if inbound.reaction:
        return Outcome("reaction", requests.open_case_of(inbound.contact, inbound.entry))
    if inbound.unsupported or not inbound.has_content:
        case = requests.open_case_of(inbound.contact, inbound.entry)
        if case is None:
            return Outcome("ignored")
        text = f"[pesan tidak didukung: {inbound.unsupported or inbound.form}]"
        message = case_services.receive_message(
            case, text=text, via=inbound.via, at=inbound.at, external_id=inbound.external_id
        )
        return Outcome("appended", case, message)
    return _content(inbound)


def _content(inbound: Inbound) -> Outcome:
    case, how = requests.find_case(inbound.contact, inbound.entry, inbound.at)
    via = inbound.via
    if case is None:
        case = requests.open_request(
            inbound,
            kind=kinds.get("complaint"),
            text=inbound.text,
            unit=inbound.entry.unit,
        )
        message = case.messages.filter(external_id=inbound.external_id).first()
        outcome = "opened"
    else:
        if how == "reopen":
            case_services.reopen(
                case, actor=None, via=via, reason="citizen wrote again", at=inbound.at
            )
        message = case_services.receive_message(
            case, text=inbound.text, via=via, at=inbound.at, external_id=inbound.external_id
        )
        if how == "reopen":
            notices.tell(
                case,
                "reopened",
                Purpose.STATUS_UPDATE,
                [case.tracking_number, notices.status_word(case)],
            )
        outcome = "reopened" if how == "reopen" else "appended"
    if inbound.location is not None and inbound.location.valid:
        _set_location(case, inbound)
    return Outcome(outcome, case, message)


def _set_location(case: Case, inbound: Inbound) -> None:
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
