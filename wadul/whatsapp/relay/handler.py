"""Carry out what an official wrote on WhatsApp, and say back what happened.

Every change goes through `wadul.cases.services` with via=relay, acting as the official, at
the time of the official's WhatsApp message (so the clock stops when they answered, not when
Wadul processed it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone, translation

from wadul.cases import access, services
from wadul.cases.channels import Notice
from wadul.cases.models import OPEN_STATUSES, Case, Message, Via
from wadul.core.texts import render_text
from wadul.organisation.models import Official, Unit
from wadul.whatsapp.relay.commands import Command, NotACommand, parse, parse_caption

UNIT_LIST_LIMIT = 15
MY_CASES_LIMIT = 10


@dataclass(frozen=True)
class Outcome:
    """What to tell the official, and which case (if any) the command acted on."""

    reply: str
    case: Case | None = None
    ok: bool = True
    message: Message | None = None  # the answer a file the official sent belongs to


def handle(official: Official, text: str, *, quoted_case: Case | None, at: datetime) -> Outcome:
    # Officials are answered in Indonesian whatever process runs this (worker, shell).
    with translation.override("id"):
        return _handle(official, text, quoted_case=quoted_case, at=at)


def _handle(official: Official, text: str, *, quoted_case: Case | None, at: datetime) -> Outcome:
    command = parse(text, quoted=quoted_case is not None)
    if isinstance(command, NotACommand):
        return Outcome(_render("not_understood", reason=command.reason), ok=False)
    if command.verb == "help":
        return Outcome(_render("help"))
    if command.verb == "units":
        return Outcome(_render("units", units=_units(command.text), query=command.text))
    if command.verb == "mine":
        return Outcome(_render("my_cases", cases=_my_cases(official), now=at))
    if command.verb == "handover":
        return Outcome(_render("not_understood", reason="handover_unavailable"), ok=False)

    case = _case_for(official, command, quoted_case)
    if case is None:
        reason = "no_case" if command.tracking_number or quoted_case else "which_case"
        return Outcome(_render("not_understood", reason=reason), ok=False)
    try:
        return _act(official, command, case, at)
    except PermissionDenied:
        return Outcome(_render("not_understood", reason="no_case"), ok=False)
    except services.CaseError as error:
        return Outcome(_render("refused", case=case, error=str(error)), case=case, ok=False)


def handle_media(
    official: Official,
    caption: str,
    *,
    placeholder: str | None,
    quoted_case: Case | None,
    at: datetime,
) -> Outcome:
    """A file the official sent: the answer on its case, with the caption as its words (the
    placeholder, e.g. "[foto]", when there are none). `placeholder` None: a kind of file that
    is not passed on (a sticker). The caller sends the file with the answer."""
    with translation.override("id"):
        if placeholder is None:
            return Outcome(_render("not_understood", reason="sticker"), ok=False)
        command = parse_caption(caption, quoted=quoted_case is not None)
        if isinstance(command, NotACommand):
            return Outcome(_render("not_understood", reason=command.reason), ok=False)
        case = _case_for(official, command, quoted_case)
        if case is None:
            return Outcome(_render("not_understood", reason="no_case"), ok=False)
        try:
            # The answer waits for its file (a text "[foto]" first would be confusing).
            answer = services.answer(
                case,
                text=command.text or placeholder,
                actor=official,
                via=Via.RELAY,
                at=at,
                notice=Notice(hold=True),
            )
        except PermissionDenied:
            return Outcome(_render("not_understood", reason="no_case"), ok=False)
        except services.CaseError as error:
            return Outcome(_render("refused", case=case, error=str(error)), case=case, ok=False)
        return Outcome(_render("answered_media", case=case), case, message=answer)


def _act(official: Official, command: Command, case: Case, at: datetime) -> Outcome:
    via = Via.RELAY
    if command.verb == "answer":
        services.answer(case, text=command.text, actor=official, via=via, at=at)
        return Outcome(_render("answered", case=case), case)
    if command.verb == "resolve":
        services.resolve(case, actor=official, via=via, note=command.text, at=at)
        return Outcome(_render("resolved", case=case), case)
    if command.verb == "clarify":
        services.request_clarification(case, text=command.text, actor=official, via=via, at=at)
        return Outcome(_render("clarification_sent", case=case), case)
    if command.verb == "take":
        services.assign(case, official=official, actor=official, via=via, at=at)
        return Outcome(_render("taken", case=case), case)
    if command.verb == "transfer":
        unit = Unit.objects.filter(code=command.unit_code, is_active=True).first()
        if unit is None:
            return Outcome(
                _render("not_understood", reason="unknown_unit", code=command.unit_code),
                case,
                ok=False,
            )
        if not command.text:
            return Outcome(_render("not_understood", reason="missing_reason"), case, ok=False)
        services.transfer(case, to_unit=unit, reason=command.text, actor=official, via=via, at=at)
        return Outcome(_render("transferred", case=case, unit=unit), case)
    raise AssertionError(f"unhandled verb {command.verb}")


def _case_for(official: Official, command: Command, quoted_case: Case | None) -> Case | None:
    """The case the command is about, if this official may act on it (else None: we never
    tell an official whether another unit's case exists)."""
    if command.tracking_number:
        case = (
            access.visible_cases(official).filter(tracking_number=command.tracking_number).first()
        )
    else:
        case = quoted_case
    if case is None or not access.can_act(official, case):
        return None
    return case


def _units(query: str) -> list[Unit]:
    units = Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.DESA)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return list(units.order_by("code")[:UNIT_LIST_LIMIT])


def _my_cases(official: Official) -> list[Case]:
    cases = access.visible_cases(official).filter(status__in=OPEN_STATUSES)
    mine = cases.filter(Q(assigned_to=official) | Q(assigned_to__isnull=True))
    return list(mine.order_by("first_response_due_at", "created_at")[:MY_CASES_LIMIT])


def _render(name: str, **context) -> str:
    context.setdefault("now", timezone.now())
    return render_text(f"relay/{name}.txt", fold=False, **context)
