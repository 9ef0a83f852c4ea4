"""Calendars, targets and the ladder as the clock uses them, built from the database.

Everything is loaded at once (a few hundred rows at most) and cached per process until the
`CalendarRevision` token changes; every lookup checks the token with one tiny query, so a
change made by any process is seen by all at their next case change.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from wadul.cases import kinds
from wadul.organisation.models import Unit
from wadul.sla import calendar as cal
from wadul.sla.models import (
    CalendarRevision,
    Closure,
    EscalationStep,
    LocalHoliday,
    Schedule,
    ScheduleHours,
    Target,
    UnitSchedule,
)

# When no schedule is configured at all: Monday to Friday, 07:30–16:00.
DEFAULT_HOURS: dict[int, list[tuple[time, time]]] = {
    weekday: [(time(7, 30), time(16, 0))] for weekday in range(5)
}


@dataclass(frozen=True)
class Targets:
    """A case's targets in working minutes of its unit's calendar."""

    first_response: int
    next_response: int
    resolution: int
    extension: int


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass
class Config:
    """A snapshot of every clock setting, valid for one revision token."""

    token: object
    schedules: dict[int, Schedule]
    hours: dict[int, list[tuple[time, time]]]
    default_schedule_id: int | None
    unit_schedule: dict[int, int]
    holidays: dict[int | None, set[date]]
    closures: dict[int | None, list[tuple[datetime, datetime]]]
    targets: dict[tuple[int | None, str], Target]
    steps: list[EscalationStep]
    triage_unit_id: int | None
    unit_paths: dict[int, str]
    _calendars: dict[int | None, cal.WorkingCalendar] = field(default_factory=dict)
    _targets: dict[tuple[int | None, str], Targets] = field(default_factory=dict)

    def lineage(self, unit_id: int | None) -> list[int | None]:
        """The unit, its ancestors nearest first, then None (the regency-wide rule)."""
        if unit_id is None:
            unit_id = self.triage_unit_id
        path = self.unit_paths.get(unit_id, "") if unit_id is not None else ""
        ids = Unit.path_ids(path)
        if unit_id is not None and (not ids or ids[-1] != unit_id):
            ids.append(unit_id)
        return [*reversed(ids), None]

    def calendar(self, unit_id: int | None) -> cal.WorkingCalendar:
        found = self._calendars.get(unit_id)
        if found is None:
            found = self._calendars[unit_id] = self._build_calendar(unit_id)
        return found

    def _build_calendar(self, unit_id: int | None) -> cal.WorkingCalendar:
        lineage = self.lineage(unit_id)
        schedule_id = next(
            (self.unit_schedule[u] for u in lineage if u in self.unit_schedule),
            self.default_schedule_id,
        )
        holidays = frozenset().union(*(self.holidays.get(u, ()) for u in lineage))
        closures = sorted(c for u in lineage for c in self.closures.get(u, ()))
        options = {"local_holidays": holidays, "closures": tuple(cal._merge(closures)), "tz": tz()}
        schedule = self.schedules.get(schedule_id) if schedule_id else None
        if schedule is None:
            return cal.WorkingCalendar.office_hours(DEFAULT_HOURS, **options)
        if schedule.always_open:
            return cal.WorkingCalendar.twenty_four_seven(
                observes_holidays=schedule.observes_holidays, **options
            )
        weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
        for weekday, opens, closes in self.hours.get(schedule.pk, []):
            weekly[weekday].append((opens, closes))
        return cal.WorkingCalendar.office_hours(
            weekly, observes_holidays=schedule.observes_holidays, **options
        )

    def targets_for(self, unit_id: int | None, case_type: str) -> Targets:
        key = (unit_id, case_type)
        found = self._targets.get(key)
        if found is None:
            row = next(
                (
                    self.targets[(u, case_type)]
                    for u in self.lineage(unit_id)
                    if (u, case_type) in self.targets
                ),
                None,
            )
            if row is not None:
                first, nxt, resolution, extension = (
                    row.first_response_minutes,
                    row.next_response_days,
                    row.resolution_days,
                    row.extension_days,
                )
            else:  # the kind's own defaults
                clock = kinds.get(case_type).clock
                first, nxt, resolution, extension = (
                    clock.first_response_minutes,
                    clock.next_response_days,
                    clock.resolution_days,
                    clock.extension_days,
                )
            day = self.calendar(unit_id).day_minutes
            found = self._targets[key] = Targets(
                first_response=first,
                next_response=nxt * day,
                resolution=resolution * day,
                extension=extension * day,
            )
        return found

    def credited_unit(self, unit_id: int | None) -> int | None:
        """Cases without a unit are the central desk's (triage)."""
        return unit_id if unit_id is not None else self.triage_unit_id


_lock = threading.Lock()
_current: Config | None = None


def current() -> Config:
    """The settings in force now (reloaded when any process changed them)."""
    global _current
    token = CalendarRevision.objects.values_list("token", flat=True).first()
    if token is None:
        # A database without the row (flushed): never trust a cache built elsewhere.
        bump_revision()
        token = CalendarRevision.objects.values_list("token", flat=True).first()
    snapshot = _current
    if snapshot is not None and snapshot.token == token:
        return snapshot
    with _lock:
        snapshot = _load(token)
        _current = snapshot
    return snapshot


def invalidate() -> None:
    global _current
    _current = None


def bump_revision() -> None:
    """Mark every cached calendar stale, in this process and all others."""
    updated = CalendarRevision.objects.filter(pk=1).update(
        token=uuid.uuid4(), changed_at=timezone.now()
    )
    if not updated:
        CalendarRevision.objects.create(pk=1)
    invalidate()


def _load(token) -> Config:
    schedules = {s.pk: s for s in Schedule.objects.all()}
    hours: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for row in ScheduleHours.objects.all():
        hours[row.schedule_id].append((row.weekday, row.opens, row.closes))
    holidays: dict[int | None, set[date]] = defaultdict(set)
    for unit_id, day in LocalHoliday.objects.values_list("unit_id", "date"):
        holidays[unit_id].add(day)
    closures: dict[int | None, list[tuple[datetime, datetime]]] = defaultdict(list)
    for unit_id, starts, ends in Closure.objects.values_list("unit_id", "starts_at", "ends_at"):
        closures[unit_id].append((starts, ends))
    triage = (
        Unit.objects.filter(kind=Unit.Kind.CENTRAL_DESK, is_active=True)
        .order_by("path")
        .values_list("pk", flat=True)
        .first()
    )
    return Config(
        token=token,
        schedules=schedules,
        hours=dict(hours),
        default_schedule_id=next((s.pk for s in schedules.values() if s.is_default), None),
        unit_schedule=dict(UnitSchedule.objects.values_list("unit_id", "schedule_id")),
        holidays=dict(holidays),
        closures=dict(closures),
        targets={(t.unit_id, t.case_type): t for t in Target.objects.all()},
        steps=list(EscalationStep.objects.filter(is_active=True).order_by("offset_minutes", "pk")),
        triage_unit_id=triage,
        unit_paths=dict(Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).values_list("pk", "path")),
    )
