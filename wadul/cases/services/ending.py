"""Ending a case: resolve, close, reopen, and the citizen's rating."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import events
from wadul.cases.models import Case, Status
from wadul.cases.services._common import CaseError, E, IllegalTransition, _ensure_can_act, _move
from wadul.organisation.models import Official


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
