"""Working-time arithmetic: pure functions over a `WorkingCalendar`.

A calendar says when a unit works: weekly office hours in local time (Asia/Jakarta, which
has no daylight saving), whole days off (national holidays and cuti bersama from the
`holidays` package, local holidays) and one-off closures (any interval, e.g. an office
move, or a case's clarification pause). Nothing here touches the database; `wadul.sla.config`
builds calendars from it.

Two operations matter:

- `add(cal, start, minutes)`: the instant at which `minutes` of working time have passed
  after `start` (negative minutes walk backwards). Zero minutes from outside office hours
  gives the next opening; a target that is used up exactly at closing time is due at
  closing time (Friday 16:00), not at the next opening.
- `between(cal, start, end)`: the working time in [start, end), in seconds.

Deadlines the law counts in whole working days (UU 14/2008 for information requests) use
`add_days(cal, start, days)` instead: the close of business of the `days`-th working day
after the day of `start` (that day itself never counts), whatever the length of each day.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

# Minutes since local midnight, half-open [start, end).
Interval = tuple[int, int]
DAY = 24 * 60
# A calendar with no working time at all would make `add` walk forever.
MAX_IDLE_DAYS = 800


class CalendarError(ValueError):
    """The calendar cannot answer (e.g. it has no working time at all)."""


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[date, str]:
    """Indonesian national holidays and cuti bersama (joint leave days) of one year."""
    found = holidays_lib.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return dict(found.items())


def _is_national_holiday(day: date) -> bool:
    return day in national_holidays(day.year)


@dataclass(frozen=True, eq=False)
class WorkingCalendar:
    """When a unit works. `weekly[0]` is Monday's intervals, `weekly[6]` Sunday's."""

    weekly: tuple[tuple[Interval, ...], ...] = ((),) * 7
    always_open: bool = False
    observes_holidays: bool = True
    local_holidays: frozenset[date] = frozenset()
    # Sorted, non-overlapping aware (start, end) intervals when the office is closed.
    closures: tuple[tuple[datetime, datetime], ...] = ()
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    is_holiday: Callable[[date], bool] = _is_national_holiday
    _days: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def office_hours(
        cls,
        hours: dict[int, Iterable[tuple[time, time]]],
        **options,
    ) -> WorkingCalendar:
        """Build from {weekday: [(opens, closes), …]} with Monday = 0."""
        weekly = []
        for weekday in range(7):
            intervals = sorted(
                (o.hour * 60 + o.minute, c.hour * 60 + c.minute if c != time(0) else DAY)
                for o, c in hours.get(weekday, ())
            )
            weekly.append(tuple(_merge(intervals)))
        return cls(weekly=tuple(weekly), **options)

    @classmethod
    def twenty_four_seven(cls, *, observes_holidays: bool = False, **options) -> WorkingCalendar:
        return cls(
            weekly=(((0, DAY),),) * 7,
            always_open=True,
            observes_holidays=observes_holidays,
            **options,
        )

    def with_closures(self, extra: Iterable[tuple[datetime, datetime]]) -> WorkingCalendar:
        """The same calendar with more closed intervals (e.g. a case's pauses)."""
        extra = [(a, b) for a, b in extra if b > a]
        if not extra:
            return self
        merged = _merge(sorted([*self.closures, *extra]))
        return replace(self, closures=tuple(merged), _days={})

    @property
    def day_minutes(self) -> int:
        """Length of a standard working day (the longest weekday), used to turn "working
        days" targets into working minutes."""
        if self.always_open:
            return DAY
        return max((sum(b - a for a, b in day) for day in self.weekly), default=0) or DAY

    def is_day_off(self, day: date) -> bool:
        if day in self.local_holidays:
            return True
        return self.observes_holidays and self.is_holiday(day)

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The aware working intervals of one local day, closures removed."""
        cached = self._days.get(day)
        if cached is not None:
            return cached
        if self.is_day_off(day):
            result: list[tuple[datetime, datetime]] = []
        else:
            midnight = datetime.combine(day, time(0), tzinfo=self.tz)
            result = [
                (midnight + timedelta(minutes=a), midnight + timedelta(minutes=b))
                for a, b in self.weekly[day.weekday()]
            ]
            if self.closures and result:
                result = _subtract(result, self.closures)
        if len(self._days) > 4000:
            self._days.clear()
        self._days[day] = result
        return result

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()


def _plain_clock(cal: WorkingCalendar) -> bool:
    """Round the clock with no day off: working time is clock time."""
    return (
        cal.always_open
        and not cal.observes_holidays
        and not cal.local_holidays
        and not cal.closures
    )


def add(cal: WorkingCalendar, start: datetime, minutes: float) -> datetime:
    """The instant when `minutes` of working time have passed since `start`."""
    if minutes < 0:
        return _subtract_working(cal, start, timedelta(minutes=-minutes))
    if _plain_clock(cal):
        return start + timedelta(minutes=minutes)
    remaining = timedelta(minutes=minutes)
    day = cal.local_date(start)
    idle = 0
    while True:
        spans = cal.intervals(day)
        for a, b in spans:
            if b <= start:
                continue
            a = max(a, start)
            span = b - a
            if remaining <= span:
                return a + remaining
            remaining -= span
        idle = 0 if spans else idle + 1
        if idle > MAX_IDLE_DAYS:
            raise CalendarError("The calendar has no working time.")
        day += timedelta(days=1)


def _subtract_working(cal: WorkingCalendar, end: datetime, amount: timedelta) -> datetime:
    remaining = amount
    day = cal.local_date(end)
    idle = 0
    while True:
        spans = cal.intervals(day)
        for a, b in reversed(spans):
            if a >= end:
                continue
            b = min(b, end)
            span = b - a
            if remaining <= span:
                return b - remaining
            remaining -= span
        idle = 0 if spans else idle + 1
        if idle > MAX_IDLE_DAYS:
            raise CalendarError("The calendar has no working time.")
        day -= timedelta(days=1)


def between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Working seconds in [start, end); 0 if end is not after start."""
    if end <= start:
        return 0
    if _plain_clock(cal):
        return int((end - start).total_seconds())
    total = timedelta(0)
    day = cal.local_date(start)
    last = cal.local_date(end)
    while day <= last:
        for a, b in cal.intervals(day):
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return int(total.total_seconds())


def _counts(cal: WorkingCalendar, day: date, pauses: tuple[tuple[datetime, datetime], ...]) -> bool:
    """A whole working day: it has working time, and no pause touches its office hours."""
    spans = cal.intervals(day)
    if not spans:
        return False
    opens, closes = spans[0][0], spans[-1][1]
    return not any(a < closes and b > opens for a, b in pauses)


def add_days(
    cal: WorkingCalendar,
    start: datetime,
    days: int,
    *,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> datetime:
    """The close of business of the `days`-th whole working day after the local day of
    `start` (the day of `start` is never counted, so day 1 is the next working day).
    Working days are the calendar's (weekends, holidays, cuti bersama, local holidays and
    whole-day closures are skipped); a day touched by one of `pauses` (a request waiting
    for its requester) does not count either."""
    pauses = tuple(pauses)
    day = cal.local_date(start)
    idle = 0
    while days > 0:
        day += timedelta(days=1)
        if _counts(cal, day, pauses):
            days -= 1
            idle = 0
        else:
            idle += 1
            if idle > MAX_IDLE_DAYS:
                raise CalendarError("The calendar has no working time.")
    if not cal.intervals(day):
        return start
    return cal.intervals(day)[-1][1]


def working_days(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    """How many whole working days after the day of `start` have begun by `end` (the day
    of `end` included when it is a working day): 1 for an answer the next working day."""
    count, day, last = 0, cal.local_date(start), cal.local_date(end)
    while day < last:
        day += timedelta(days=1)
        count += bool(cal.intervals(day))
    return count


def is_working(cal: WorkingCalendar, instant: datetime) -> bool:
    return any(a <= instant < b for a, b in cal.intervals(cal.local_date(instant)))


def _merge(intervals):
    merged: list = []
    for a, b in intervals:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _subtract(spans, closures):
    """`spans` minus the (sorted, merged) `closures`."""
    starts = [c[0] for c in closures]
    result = []
    for a, b in spans:
        # Closures that may overlap [a, b): those starting before b, from the one before a.
        i = max(bisect.bisect_right(starts, a) - 1, 0)
        pieces = [(a, b)]
        while i < len(closures) and closures[i][0] < b:
            ca, cb = closures[i]
            next_pieces = []
            for pa, pb in pieces:
                if cb <= pa or ca >= pb:
                    next_pieces.append((pa, pb))
                    continue
                if ca > pa:
                    next_pieces.append((pa, ca))
                if cb < pb:
                    next_pieces.append((cb, pb))
            pieces = next_pieces
            i += 1
        result.extend(pieces)
    return result
