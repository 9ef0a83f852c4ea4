"""Reading the on-duty schedule."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from wadul.duty.models import OnDutyShift
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
