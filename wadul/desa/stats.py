"""Village-letter figures per desa/kelurahan and per kecamatan for a period: requests
received, letters issued, the median service time in working hours (request to signature,
on the unit's working calendar), and the share issued within the service's target. No
personal data: counts and times only."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime
from typing import Any

from wadul.cases.models import Case
from wadul.desa.kind import CODE
from wadul.desa.models import Letter
from wadul.organisation.models import Unit
from wadul.sla import calendar, config

FIELDS = ["unit_code", "unit", "kecamatan", "requests", "issued", "median_hours", "on_time_share"]


class _Tally:
    def __init__(self) -> None:
        self.requests = 0
        self.hours: list[float] = []
        self.on_time = 0

    def add(self, other: _Tally) -> None:
        self.requests += other.requests
        self.hours += other.hours
        self.on_time += other.on_time


def letter_rows(start: datetime, end: datetime) -> tuple[list[dict], list[dict]]:
    """(rows per desa/kelurahan, rows per kecamatan) with letter activity in [start, end)."""
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    opened = Case.objects.filter(type=CODE, created_at__gte=start, created_at__lt=end)
    for unit_id in opened.values_list("unit_id", flat=True):
        tallies[unit_id].requests += 1
    clock = config.current()
    issued = Letter.objects.filter(
        state=Letter.State.SIGNED, issued_at__gte=start, issued_at__lt=end
    ).values_list("unit_id", "case__created_at", "issued_at", "service__target_hours")
    for unit_id, asked, signed, target in issued:
        worked = calendar.between(clock.calendar(unit_id), asked, signed) / 3600
        tallies[unit_id].hours.append(worked)
        tallies[unit_id].on_time += worked <= target
    units = Unit.objects.filter(pk__in=list(tallies)).select_related("parent")
    per_kecamatan: dict[int | None, _Tally] = defaultdict(_Tally)
    kecamatan_units: dict[int | None, Unit | None] = {}
    desa_rows = []
    for unit in units:
        parent = unit.parent if unit.parent_id else None
        desa_rows.append(_row(unit, parent, tallies[unit.pk]))
        per_kecamatan[unit.parent_id].add(tallies[unit.pk])
        kecamatan_units[unit.parent_id] = parent
    kecamatan_rows = [
        _row(kecamatan_units[key], None, tally)
        for key, tally in per_kecamatan.items()
        if kecamatan_units[key] is not None
    ]
    desa_rows.sort(key=lambda row: (row["kecamatan"], row["unit"]))
    kecamatan_rows.sort(key=lambda row: row["unit"])
    return desa_rows, kecamatan_rows


def _row(unit: Unit, kecamatan: Unit | None, tally: _Tally) -> dict[str, Any]:
    times = tally.hours
    return {
        "unit_code": unit.code,
        "unit": unit.name,
        "kecamatan": kecamatan.name if kecamatan else "",
        "requests": tally.requests,
        "issued": len(times),
        "median_hours": round(statistics.median(times), 1) if times else None,
        "on_time_share": round(tally.on_time / len(times), 3) if times else None,
    }
