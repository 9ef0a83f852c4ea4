"""League table, supervisor dashboard and monthly report.

Every figure comes from the clock's metrics module (`wadul.sla.metrics.unit_stats`): the
portal draws and exports them, it defines no statistic of its own.
"""

from __future__ import annotations

from datetime import datetime
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
from wadul.portal import charts, maps
from wadul.portal.opendata import csv_response
from wadul.portal.pdf import monthly_report_pdf
from wadul.ppid import reports as ppid_reports
from wadul.routing import stats as routing_stats
from wadul.sla import snapshots  # the clock owns every metric definition
from wadul.sla.league import (  # noqa: F401 (the portal's pages and Open311 use these)
    LEAGUE_KINDS,
    Period,
    computed_at,
    league_rows,
    league_units,
    set_stats,
    unit_set,
)

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


def split_idle(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Units with cases in the period, and how many had none (not listed row by row)."""
    active = [r for r in rows if r["received"]]
    return active, len(rows) - len(active)


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
        # The PPID's own figures per OPD, for the period's year (UU 14/2008 Pasal 12).
        "ppid_units": ppid_reports.by_unit(period.year),
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
        "router": router_overrides(period),
    }
    return render(request, "portal/dashboard.html", context)


def router_overrides(period: Period, months: int = 6) -> dict[str, Any]:
    """How often officials overrode the router (`wadul.routing.stats`): each of the last
    months overall, and the chosen month per unit type."""
    monthly = [(p, routing_stats.overrides(p.start, p.end)) for p in period.back(months)]
    return {"monthly": [(p, o.total) for p, o in monthly], "by_label": monthly[-1][1].by_label}


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
    context = _report_context(request)
    name = context["unit"].code if context["unit"] else "kabupaten"
    response = HttpResponse(monthly_report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="laporan-{name}-{context["period"].key}.pdf"'
    )
    return response
