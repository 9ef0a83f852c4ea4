"""League table, supervisor dashboard and monthly report.

Every figure comes from the clock's metrics module (`wadul.sla.metrics.unit_stats`): the
portal draws and exports them, it defines no statistic of its own.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wadul.cases.models import OPEN_STATUSES, Attachment, Case
from wadul.core import formats
from wadul.organisation.models import Official, Region, Unit
from wadul.portal import charts, maps, snapshots
from wadul.portal.opendata import csv_response

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
LEAGUE_FIELDS = [
    "unit_code",
    "unit_name",
    "period_start",
    "period_end",
    "received",
    "answered",
    "first_response_median_working_minutes",
    "first_response_median_clock_minutes",
    "first_response_within_target_share",
    "resolved",
    "resolved_share",
    "resolution_median_working_minutes",
    "resolution_median_clock_minutes",
    "reopen_rate",
    "rating_average",
    "rating_count",
    "computed_at",
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
    from wadul.sla import metrics  # the clock (issue 6) owns every metric definition

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


def split_idle(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Units with cases in the period, and how many had none (not listed row by row)."""
    active = [r for r in rows if r["received"]]
    return active, len(rows) - len(active)


def computed_at(period: Period):
    return _stored_stats(period)[1]


def regency_row(period: Period) -> dict[str, Any] | None:
    rows = league_rows(period, "regency")
    return rows[0] if rows else None


def trend(period: Period, set_name: str, months: int = 12) -> dict[str, Any]:
    """Cases received per month and the share answered within target, of the first unit of
    a set ("regency": the whole regency; "subtree-<code>": that unit with its sub-units)."""
    periods = period.back(months)
    received, within = [], []
    for p in periods:
        stored = set_stats(p, set_name)
        first = stored[0] if stored else {}
        received.append(first.get("received", 0))
        within.append(first.get("first_response_within_target_share"))
    return {
        "labels": [p.short for p in periods],
        "received": received,
        "within": within,
        "svg": charts.bars(
            [p.short for p in periods],
            received,
            label=_("Cases received per month; line: share answered within target"),
            line=within,
        ),
    }


@snapshots.computer("regions")
def compute_region_counts(period_key: str) -> dict[str, int]:
    """Cases opened per region (desa, or kecamatan when no desa is known) in the period."""
    period = Period.parse(period_key)
    rows = (
        Case.objects.filter(
            created_at__gte=period.start, created_at__lt=period.end, region__isnull=False
        )
        .values_list("region_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def kecamatan_counts(period: Period) -> dict[str, int]:
    """Cases per kecamatan (desa roll up into their kecamatan)."""
    counts: dict[str, int] = {}
    for code, n in snapshots.get("regions", period.key)[0].items():
        kecamatan = ".".join(code.split(".")[:3])
        counts[kecamatan] = counts.get(kecamatan, 0) + n
    return counts


def desa_counts(period: Period, kecamatan: Region) -> dict[str, int]:
    """Cases per desa of one kecamatan."""
    prefix = kecamatan.code + "."
    counts = snapshots.get("regions", period.key)[0]
    return {code: n for code, n in counts.items() if code.startswith(prefix)}


# --- public pages ----------------------------------------------------------------------------


@require_GET
def league(request: HttpRequest) -> HttpResponse:
    period = Period.parse(request.GET.get("bulan"))
    kecamatan = Region.objects.filter(
        code=request.GET.get("kecamatan", ""), level=Region.Level.KECAMATAN
    ).first()
    if kecamatan is None:
        counts = kecamatan_counts(period)
        level, label = Region.Level.KECAMATAN, _("Cases per kecamatan")
    else:
        counts = desa_counts(period, kecamatan)
        level, label = (
            Region.Level.DESA,
            _("Cases per desa in %(kecamatan)s") % {"kecamatan": kecamatan.label},
        )
    places = Region.objects.filter(level=level)
    if kecamatan is not None:
        places = places.filter(parent=kecamatan)
    names = {r.code: r for r in places}
    context = {
        "period": period,
        "previous": period.previous(),
        "next": period.next() if period.next().start <= timezone.now() else None,
        "rows": (split := split_idle(league_rows(period)))[0],
        "idle": split[1],
        "regency": regency_row(period),
        "computed_at": computed_at(period),
        "trend": trend(period, "regency", months=6),
        "kecamatan": kecamatan,
        "map_label": label,
        "map": maps.cases_map(counts, level, label=label, parent=kecamatan),
        "region_counts": sorted(
            ((names[code], n) for code, n in counts.items() if code in names),
            key=lambda x: (-x[1], x[0].name),
        )[:10],
    }
    return render(request, "portal/league.html", context)


def _league_records(request: HttpRequest) -> list[dict[str, Any]]:
    period = Period.parse(request.GET.get("bulan"))
    return [{k: row[k] for k in LEAGUE_FIELDS} for row in league_rows(period)]


@require_GET
def league_csv(request: HttpRequest) -> HttpResponse:
    period = Period.parse(request.GET.get("bulan"))
    return csv_response(
        iter(_league_records(request)), LEAGUE_FIELDS, f"wadul-statistik-{period.key}.csv"
    )


@require_GET
def league_json(request: HttpRequest) -> JsonResponse:
    period = Period.parse(request.GET.get("bulan"))
    return JsonResponse(
        {
            "meta": {
                "dataset": "league table",
                "period": period.key,
                "methodology": "wadul.sla.metrics (see /statistik/#metodologi)",
                "computed_at": formats.iso_local(computed_at(period)),
            },
            "data": _league_records(request),
        },
        json_dumps_params={"ensure_ascii": False},
    )


# --- staff pages -----------------------------------------------------------------------------


def _require_overseer(request: HttpRequest) -> Official:
    """Supervisors, operators and admins; unit staff and heads are refused."""
    official = request.user
    if not (official.is_active and official.sees_all_cases):
        raise PermissionDenied(_("The dashboard is for supervisors and the central desk."))
    return official


def overdue_by_unit(now: datetime | None = None) -> list[dict[str, Any]]:
    """Open cases past a running deadline, per unit: two indexed queries (cases migration
    0006), one per deadline, merged here."""
    now = now or timezone.now()
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES, unit__isnull=False)
    late_first = open_cases.filter(first_response_at__isnull=True, first_response_due_at__lt=now)
    late_resolution = open_cases.filter(resolution_due_at__lt=now)
    rows: dict[int, dict[str, Any]] = {}
    for query, column in ((late_first, "no_first_response"), (late_resolution, "late")):
        for unit_id, ids in _ids_by_unit(query).items():
            row = rows.setdefault(unit_id, {"ids": set(), "no_first_response": 0, "late": 0})
            row["ids"] |= ids
            row[column] = len(ids)
    names = dict(Unit.objects.filter(pk__in=rows).values_list("pk", "name"))
    codes = dict(Unit.objects.filter(pk__in=rows).values_list("pk", "code"))
    result = [
        {
            "unit__code": codes[unit_id],
            "unit__name": names[unit_id],
            "overdue": len(row["ids"]),
            "no_first_response": row["no_first_response"],
        }
        for unit_id, row in rows.items()
    ]
    return sorted(result, key=lambda r: (-r["overdue"], r["unit__name"]))


def _ids_by_unit(cases) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for unit_id, pk in cases.values_list("unit_id", "pk")[:100_000]:
        found.setdefault(unit_id, set()).add(pk)
    return found


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_overseer(request)
    period = Period.parse(request.GET.get("bulan"))
    context = {
        "period": period,
        "rows": (split := split_idle(league_rows(period, "all")))[0],
        "idle": split[1],
        "computed_at": computed_at(period),
        "overdue": overdue_by_unit(),
        "trend": trend(period, "regency", months=12),
        "league_units": league_units(),
        "pending_photos": Attachment.objects.filter(
            kind=Attachment.Kind.IMAGE, photo_decision__isnull=True
        ).count(),
    }
    return render(request, "portal/dashboard.html", context)


def _report_context(request: HttpRequest) -> dict[str, Any]:
    _require_overseer(request)
    period = Period.parse(request.GET.get("bulan"))
    code = request.GET.get("unit", "")
    unit = get_object_or_404(Unit, code=code) if code else None
    if unit is None:
        rows = league_rows(period)
        total = regency_row(period)
        title = _("Regency report")
    else:
        rows = league_rows(period, f"subtree-{unit.code}")
        total = next((r for r in rows if r["unit"].pk == unit.pk), None)
        rows = [r for r in rows if r["unit"].pk != unit.pk]
        title = unit.name
    rows, idle = split_idle(rows)
    return {
        "period": period,
        "computed_at": computed_at(period),
        "unit": unit,
        "title": title,
        "rows": rows,
        "idle": idle,
        "total": total,
        "trend": trend(period, "regency" if unit is None else f"subtree-{unit.code}", months=6),
    }


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/report_month.html", _report_context(request))


@login_required
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    rows = ([context["total"]] if context["total"] else []) + context["rows"]
    name = context["unit"].code if context["unit"] else "kabupaten"
    return csv_response(
        iter([{k: r[k] for k in LEAGUE_FIELDS} for r in rows]),
        LEAGUE_FIELDS,
        f"laporan-{name}-{context['period'].key}.csv",
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    from wadul.portal.pdf import monthly_report_pdf

    context = _report_context(request)
    name = context["unit"].code if context["unit"] else "kabupaten"
    response = HttpResponse(monthly_report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="laporan-{name}-{context["period"].key}.pdf"'
    )
    return response
