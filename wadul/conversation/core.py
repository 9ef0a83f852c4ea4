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
from collections.abc import Callable

from wadul.cases import kinds
from wadul.cases import services as case_services
from wadul.cases.channels import Notice, Purpose
from wadul.cases.models import OPEN_STATUSES
from wadul.conversation import intake, menu, notices, requests
from wadul.conversation.messages import Inbound, Outcome
from wadul.routing import intent

STATUS_COMMAND = re.compile(r"^\s*(?:cek\s+)?status\b[\s:]*(.*)$", re.IGNORECASE | re.DOTALL)
RATING_REPLY = re.compile(r"^rate:([A-Za-z0-9-]{8,9}):([1-5])$")
KIND_CHOICE = re.compile(r"^kind:([a-z][a-z0-9_]{0,23})$")
# Commands that belong to no case (e.g. "langganan info"): a higher app registers
# handler(inbound) -> the reply, or None when the text is not its command.
COMMANDS: list[Callable[[Inbound], str | None]] = []


def receive(inbound: Inbound) -> Outcome:
    """Apply one citizen's message (inside the caller's transaction)."""
    if inbound.reply_id:
        rating = RATING_REPLY.match(inbound.reply_id)
        if rating:
            return notices.rate(inbound, rating.group(1), int(rating.group(2)))
        choice = KIND_CHOICE.match(inbound.reply_id)
        if choice and choice.group(1) in kinds.codes(kinds.all_kinds()):
            return intake.start(inbound, kinds.get(choice.group(1)))
        if inbound.reply_id == menu.STATUS_CHOICE:
            return notices.status(inbound, "")
    for handler in COMMANDS if inbound.form == "text" else ():
        reply = handler(inbound)
        if reply is not None:
            notices.send(inbound, reply, Notice(purpose=Purpose.NOTICE))
            return Outcome("command")
    command = STATUS_COMMAND.match(inbound.text) if inbound.form == "text" else None
    if command:
        return notices.status(inbound, command.group(1))
    keyword = kinds.by_keyword(inbound.text) if inbound.form == "text" else None
    if keyword is not None:
        return intake.start(inbound, keyword)
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
    if case is None:
        return _first_message(inbound)
    follow_up = kinds.get(case.type).follow_up
    reply = follow_up(case, inbound.text, inbound.at) if follow_up and inbound.text else None
    if reply is not None:
        return _taken_by_kind(case, inbound, reply)
    via = inbound.via
    if how == "reopen":
        case_services.reopen(case, actor=None, via=via, reason="citizen wrote again", at=inbound.at)
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
    if inbound.location is not None and inbound.location.valid:
        requests.set_location(case, inbound)
    return Outcome("reopened" if how == "reopen" else "appended", case, message)


def _taken_by_kind(case, inbound: Inbound, reply: str) -> Outcome:
    """The kind took the message (and may have reopened the case): it joins the thread if
    the case is open, and the kind's reply goes back."""
    case.refresh_from_db()
    message = None
    if case.status in OPEN_STATUSES:
        message = case_services.receive_message(
            case, text=inbound.text, via=inbound.via, at=inbound.at, external_id=inbound.external_id
        )
    notice = Notice(purpose=Purpose.NOTICE, address=inbound.address)
    case_services.notify_citizen(case, text=reply, at=inbound.at, notice=notice)
    return Outcome("kind_follow_up", case, message)


def _first_message(inbound: Inbound) -> Outcome:
    """A message with no case to go to: what is it? A greeting, a lone sticker or a short
    unclear message gets the menu; a status question its answer; a request of a kind with
    an intake starts it; anything else opens a complaint at once."""
    if inbound.form == "sticker":
        return menu.offer(inbound)
    decision = intent.classify_intent(inbound.text) if inbound.form == "text" else None
    if decision is not None:
        if menu.wanted(decision, inbound.text):
            return menu.offer(inbound)
        if decision.kind == intent.Intent.STATUS and decision.is_sure:
            return notices.status(inbound, inbound.text)
        kind = kinds.conversational(decision.kind) if decision.is_sure else None
        if kind is not None and kind.has_intake and kind.offered_at(inbound.entry.unit):
            return intake.start(inbound, kind)
    return requests.open_from_message(inbound, kinds.get("complaint"))
