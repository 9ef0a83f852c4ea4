"""Who handles a case: triage, assignment, transfer, clarification, referral, merge, reject."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import access, events, kinds
from wadul.cases.models import OPEN_STATUSES, Case, Message, Status
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
from wadul.organisation.models import Official, Unit


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
    if not kinds.get(case.type).can_move(case.status, Status.WAITING):
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
    if not kinds.get(case.type).can_move(case.status, Status.REFERRED):
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
