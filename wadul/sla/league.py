"""The league: every unit's figures for a calendar month, as the public pages and the API
show them. Computed by `metrics.unit_stats` and kept as snapshots (`snapshots.py`), so every
surface shows the same figures and says when they were computed."""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.core import formats
from wadul.organisation.models import Unit
from wadul.sla import metrics, snapshots

LEAGUE_KINDS = [
    Unit.Kind.DINAS,
    Unit.Kind.BADAN,
    Unit.Kind.SATPOL_PP,
    Unit.Kind.INSPEKTORAT,
    Unit.Kind.SEKRETARIAT,
    Unit.Kind.RSUD,
    Unit.Kind.KECAMATAN,
    Unit.Kind.CENTRAL_DESK,
]


# --- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month in Asia/Jakarta, [start, end)."""

    year: int
    month: int

    @classmethod
    def parse(cls, value: str | None, default: date | None = None) -> Period:
        today = default or timezone.localdate()
        try:
            year, month = (int(p) for p in (value or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return cls(today.year, today.month)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(date(self.year, self.month, 1), time.min))

    @property
    def end(self) -> datetime:
        return self.next().start

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def back(self, n: int) -> list[Period]:
        """The n months ending with this one, oldest first."""
        periods = [self]
        for _i in range(n - 1):
            periods.insert(0, periods[0].previous())
        return periods

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{_(calendar.month_name[self.month])} {self.year}"

    @property
    def short(self) -> str:
        return f"{self.month:02d}/{self.year % 100:02d}"


# --- figures from the clock ------------------------------------------------------------------


def league_units() -> list[Unit]:
    """The units compared publicly: agencies and kecamatan offices (not bidang or desa)."""
    return list(Unit.objects.filter(is_active=True, kind__in=LEAGUE_KINDS).order_by("name"))


def unit_set(name: str) -> list[Unit]:
    """Named sets of units whose figures are stored: "league", "all", "regency",
    "subtree-<code>" (a unit and each unit below it)."""
    if name == "league":
        return league_units()
    if name == "all":
        return list(
            Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.EXTERNAL).order_by("path")
        )
    if name == "regency":
        return list(Unit.objects.filter(kind=Unit.Kind.REGENCY, parent__isnull=True)[:1])
    if name.startswith("subtree-"):
        unit = Unit.objects.filter(code=name.removeprefix("subtree-")).first()
        return list(unit.subtree().filter(is_active=True).order_by("path")) if unit else []
    raise ValueError(name)


@snapshots.computer("unit_stats")
def compute_unit_stats(period_key: str, set_name: str = "all") -> list[dict[str, Any]]:
    period = Period.parse(period_key)
    units = unit_set(set_name)
    if not units:
        return []
    return [asdict(s) for s in metrics.unit_stats(period.start, period.end, units=units)]


def _stored_stats(period: Period) -> tuple[dict[int, dict[str, Any]], Any]:
    """Every unit's figures for the period, by unit id, and when they were computed.

    One stored snapshot ("all" units) feeds every page, export and report of a period:
    figures computed at different moments would disagree as soon as a case arrives between
    them (the league table said 38 while the dashboard, computed later, said 41).
    """
    stored, at = snapshots.get("unit_stats", period.key, "all")
    return {row["unit_id"]: row for row in stored}, at


def set_stats(period: Period, set_name: str) -> list[dict[str, Any]]:
    """The stored figures of a set of units (see `unit_set`), in the set's order."""
    by_id, _at = _stored_stats(period)
    return [by_id[u.pk] for u in unit_set(set_name) if u.pk in by_id]


def league_rows(period: Period, set_name: str = "league") -> list[dict[str, Any]]:
    """The clock's figures for a set of units, with their names, best first."""
    stored = set_stats(period, set_name)
    at = formats.iso_local(computed_at(period))
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=[r["unit_id"] for r in stored])}
    rows = []
    for stats in stored:
        unit = by_id.get(stats["unit_id"])
        if unit is None:
            continue
        row = dict(stats)
        row.update(
            unit=unit,
            unit_code=unit.code,
            unit_name=unit.name,
            period_start=period.start.date().isoformat(),
            period_end=(period.end - timedelta(days=1)).date().isoformat(),
            computed_at=at,
        )
        rows.append(row)
    rows.sort(key=lambda r: (-(r["first_response_within_target_share"] or 0), -r["received"]))
    return rows


def computed_at(period: Period):
    return _stored_stats(period)[1]
