"""Query parameters read safely: dates and moments within the range the code can compute
with (a day later, converted to UTC, stored), whole numbers clamped to a range. Hostile
values (year 1 or 9999, 10^23, -1) become "not given" or the nearest allowed number,
never an OverflowError (a 500) deep in a view.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

EARLIEST = date(1900, 1, 1)
LATEST = date(9000, 12, 31)


def day_in_range(value: date | None) -> bool:
    return value is not None and EARLIEST <= value <= LATEST


def parse_day(raw: str | None) -> date | None:
    """A date (YYYY-MM-DD) within EARLIEST..LATEST, else None."""
    try:
        value = parse_date(raw or "")
    except ValueError:
        return None
    return value if day_in_range(value) else None


def moment_in_range(value: datetime | None) -> bool:
    if value is None:
        return False
    try:
        local = timezone.localtime(value) if timezone.is_aware(value) else value
    except (OverflowError, ValueError):
        return False
    return day_in_range(local.date())


def parse_moment(raw: str | None) -> datetime | None:
    """An ISO datetime within EARLIEST..LATEST, else None (naive ones are local time)."""
    try:
        value = parse_datetime(raw or "")
    except ValueError:
        return None
    if value is None or not moment_in_range(value):
        return None
    return value if value.tzinfo else timezone.make_aware(value)


def clamp_int(raw: str | None, default: int, low: int, high: int) -> int:
    """A whole number within low..high (the nearest bound when outside), else `default`."""
    try:
        value = int(raw or "")
    except ValueError:
        return default
    return max(low, min(high, value))
