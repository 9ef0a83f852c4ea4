"""The on-duty schedule: who is on duty (`on_duty`), and the only code that changes it
(`add_shift`, `end_shift`, `hand_over`), each change leaving a `DutyEvent`."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wadul.duty.models import DutyEvent, OnDutyShift
from wadul.organisation.models import Official, Unit


def _covers(shift: OnDutyShift, moment: time) -> bool:
    if shift.start_time is None:
        return True
    if shift.start_time <= shift.end_time:
        return shift.start_time <= moment < shift.end_time
    return moment >= shift.start_time or moment < shift.end_time  # past midnight


def on_duty(unit: Unit, at: datetime | None = None) -> list[Official]:
    """The active officials on duty for `unit` at `at` (now), first to call first.

    With no shift covering that moment, the unit's head(s); with no head, the nearest
    ancestor unit's head(s)."""
    local = timezone.localtime(at or timezone.now())
    day = local.date()
    shifts = (
        OnDutyShift.objects.filter(unit=unit, official__is_active=True)
        .filter(Q(weekday__isnull=True) | Q(weekday=local.weekday()))
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("official")
        .order_by("priority", "pk")
    )
    found: list[Official] = []
    for shift in shifts:
        if _covers(shift, local.time()) and shift.official not in found:
            found.append(shift.official)
    if found:
        return found
    # One query for every level of the lineage.
    lineage = unit.lineage_ids()
    heads_of: dict[int, list[Official]] = {}
    for head in Official.objects.filter(
        unit_id__in=lineage, role=Official.Role.HEAD, is_active=True
    ).order_by("pk"):
        heads_of.setdefault(head.unit_id, []).append(head)
    for unit_id in reversed(lineage):
        if unit_id in heads_of:
            return heads_of[unit_id]
    return []


# --- changing the schedule -------------------------------------------------------------------


def _terms(shift: OnDutyShift) -> dict[str, Any]:
    return {
        "weekday": shift.weekday,
        "start_time": shift.start_time.isoformat() if shift.start_time else None,
        "end_time": shift.end_time.isoformat() if shift.end_time else None,
        "start_date": shift.start_date.isoformat() if shift.start_date else None,
        "end_date": shift.end_date.isoformat() if shift.end_date else None,
        "priority": shift.priority,
    }


def _record(
    kind: str,
    shift: OnDutyShift,
    *,
    actor: Official | None,
    via: str,
    at: datetime | None,
    keep_link: bool = True,
    **data: Any,
) -> DutyEvent:
    return DutyEvent.objects.create(
        kind=kind,
        unit_id=shift.unit_id,
        official_id=shift.official_id,
        actor=actor,
        via=via,
        shift=shift if keep_link else None,
        data={**_terms(shift), **data},
        at=at or timezone.now(),
    )


@transaction.atomic
def add_shift(
    *,
    unit: Unit,
    official: Official,
    actor: Official | None,
    via: str,
    weekday: int | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    priority: int = 1,
    at: datetime | None = None,
) -> OnDutyShift:
    """Put `official` on duty for `unit` (every week on `weekday`, or every day; between two
    times of day, or all day; between two dates, or always)."""
    shift = OnDutyShift.objects.create(
        unit=unit,
        official=official,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        start_date=start_date,
        end_date=end_date,
        priority=priority,
    )
    _record(DutyEvent.Kind.SHIFT_ADDED, shift, actor=actor, via=via, at=at)
    return shift


@transaction.atomic
def end_shift(
    shift: OnDutyShift, *, actor: Official | None, via: str, at: datetime | None = None
) -> None:
    """Take a shift off the schedule; its event keeps what it was."""
    _record(DutyEvent.Kind.SHIFT_ENDED, shift, actor=actor, via=via, at=at, keep_link=False)
    shift.delete()


@transaction.atomic
def hand_over(*, unit: Unit, to: Official, actor: Official, via: str, at: datetime) -> OnDutyShift:
    """`actor` passes duty for `unit` to `to` for the rest of today: `to` is called first
    from now (to the minute) until midnight."""
    local = timezone.localtime(at)
    shift = OnDutyShift.objects.create(
        unit=unit,
        official=to,
        start_date=local.date(),
        end_date=local.date(),
        start_time=local.time().replace(second=0, microsecond=0),
        end_time=time(23, 59),
        priority=0,
    )
    _record(DutyEvent.Kind.HANDED_OVER, shift, actor=actor, via=via, at=at, by=actor.pk)
    return shift
