"""THE definitions of Wadul's service statistics. The inbox, the portal, the API and the
monthly report all call this module, so they agree to the minute.

Every figure is derived from the case event log only (`wadul.sla.timeline.replay` reads
the events; the calendar and targets in force turn times into working time):

- *time to first response*: opening → the first answer, clarification request or referral;
- *responses*: answers, clarification requests and referrals;
- *time to resolution*: opening → the final resolution (after any reopening), pauses
  waiting for the citizen excluded from working time;
- *within target*: the response/resolution came no later than the deadline then running;
  a case that ended without any response missed its first-response target;
- *working* minutes count office hours of the case's unit (holidays, cuti bersama, local
  holidays and closures excluded); *clock* minutes are plain elapsed time;
- *reopen rate*: reopened cases / cases that were ever finished (resolved, referred,
  closed);
- *rating*: the citizen's 1–5 rating.

`CaseMetric` keeps one row per case, updated in the transaction of each event;
`rebuild_all()` (`wadul sla_rebuild_metrics`) recomputes them from the events alone. The
rows are computed with the calendar in force at the time; calendars are not versioned, so
after changing past office hours or adding a past holiday, rebuild to apply it to closed
cases too.

`unit_stats(start, end, units)` aggregates the cases *opened* in [start, end): statistics of
a cohort, which do not change once its cases are finished. Spam (rejected) and merged
duplicates are not counted.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from wadul.cases.models import Case, CaseEvent
from wadul.organisation.models import Unit
from wadul.sla import config as clock_config
from wadul.sla.models import CaseMetric
from wadul.sla.timeline import CLOCK_NEUTRAL_KINDS, Timeline, events_of, replay_case

# --- one case --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseMetrics:
    """The clock's figures for one case."""

    case_id: int
    unit_id: int | None
    opened_at: datetime | None
    first_response_at: datetime | None
    first_response_working_minutes: float | None
    first_response_clock_minutes: float | None
    first_response_within_target: bool | None
    responses: int
    resolved_at: datetime | None
    resolution_working_minutes: float | None
    resolution_clock_minutes: float | None
    resolution_within_target: bool | None
    reopened: int
    rating: int | None
    first_response_due_at: datetime | None = None
    resolution_due_at: datetime | None = None


def _minutes(seconds: int | None) -> float | None:
    return None if seconds is None else seconds / 60


def timeline_of(case: Case) -> Timeline:
    case_events = (
        CaseEvent.objects.filter(case_id=case.pk)
        .exclude(kind__in=CLOCK_NEUTRAL_KINDS)
        .order_by("at", "pk")
    )
    return replay_case(case, case_events, clock_config.current())


def case_metrics(case: Case) -> CaseMetrics:
    """The case's figures, replayed from its events now."""
    t = timeline_of(case)
    config = clock_config.current()
    return CaseMetrics(
        case_id=case.pk,
        unit_id=config.credited_unit(t.unit_id),
        opened_at=t.opened_at,
        first_response_at=t.first_response_at,
        first_response_working_minutes=_minutes(t.first_response_working_seconds),
        first_response_clock_minutes=_minutes(t.first_response_clock_seconds),
        first_response_within_target=t.first_response_within,
        responses=t.responses,
        resolved_at=t.resolved_at,
        resolution_working_minutes=_minutes(t.resolution_working_seconds),
        resolution_clock_minutes=_minutes(t.resolution_clock_seconds),
        resolution_within_target=t.resolution_within,
        reopened=t.reopened,
        rating=t.rating,
        first_response_due_at=t.first_response_due_at,
        resolution_due_at=t.resolution_due_at,
    )


def row_values(case: Case, t: Timeline, config: clock_config.Config) -> dict:
    """The `CaseMetric` columns for a replayed case."""
    return {
        "unit_id": config.credited_unit(t.unit_id),
        "case_type": case.type,
        "opened_at": t.opened_at or case.created_at,
        "counted": t.counted,
        "is_open": t.is_open,
        "first_response_at": t.first_response_at,
        "first_response_due_at": t.first_response_due_at,
        "first_response_working_seconds": t.first_response_working_seconds,
        "first_response_clock_seconds": t.first_response_clock_seconds,
        "first_response_within": t.first_response_within,
        "responses": t.responses,
        "resolved_at": t.resolved_at,
        "resolution_due_at": t.resolution_due_at,
        "resolution_working_seconds": t.resolution_working_seconds,
        "resolution_clock_seconds": t.resolution_clock_seconds,
        "resolution_within": t.resolution_within,
        "finished": t.finished,
        "reopened": t.reopened,
        "rating": t.rating,
    }


def store(case: Case, t: Timeline, config: clock_config.Config) -> None:
    """Write the case's metrics row (called by the clock in each event's transaction)."""
    values = row_values(case, t, config)
    updated = CaseMetric.objects.filter(case_id=case.pk).update(**values)
    if not updated:
        CaseMetric.objects.create(case_id=case.pk, **values)


def rebuild_all(*, batch_size: int = 1000) -> int:
    """Recompute every `CaseMetric` row from the event log. Returns the number of cases."""
    config = clock_config.current()
    done, last_pk = 0, 0
    while True:
        batch = list(Case.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return done
        grouped = events_of(c.pk for c in batch)
        rows = []
        for case in batch:
            t = replay_case(case, grouped.get(case.pk, []), config)
            rows.append(CaseMetric(case_id=case.pk, **row_values(case, t, config)))
        with transaction.atomic():
            CaseMetric.objects.filter(case_id__in=[c.pk for c in batch]).delete()
            CaseMetric.objects.bulk_create(rows)
        done += len(batch)
        last_pk = batch[-1].pk


# --- per unit and period ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnitStats:
    """A unit's figures (its own cases and its sub-units') for the cases opened in a period.

    Shares are 0–1 (None when there is nothing to divide by); medians are minutes.
    """

    unit_id: int
    received: int
    answered: int
    first_response_median_working_minutes: float | None
    first_response_median_clock_minutes: float | None
    first_response_within_target_share: float | None
    resolved: int
    resolved_share: float | None
    resolution_median_working_minutes: float | None
    resolution_median_clock_minutes: float | None
    reopen_rate: float | None
    rating_average: float | None
    rating_count: int
    resolution_within_target_share: float | None = None
    open: int = 0


def unit_stats(
    start: datetime,
    end: datetime,
    units: list[Unit] | None = None,
    *,
    now: datetime | None = None,
) -> list[UnitStats]:
    """Statistics of the cases opened in [start, end).

    `units` given: one row per unit, in that order, counting the cases of the unit and of
    every unit below it (so the regency's row is the whole regency). `units` None: one row
    per unit that holds cases, counting only its own.
    """
    now = now or timezone.now()
    if units is None:
        ids = sorted(
            {
                u
                for u in CaseMetric.objects.filter(opened_at__gte=start, opened_at__lt=end)
                .exclude(unit_id__isnull=True)
                .values_list("unit_id", flat=True)
                .distinct()
            }
        )
        groups = {unit_id: [unit_id] for unit_id in ids}
        order = ids
    else:
        all_paths = dict(Unit.objects.values_list("pk", "path"))
        groups = {
            u.pk: [pk for pk, path in all_paths.items() if path.startswith(u.path)] for u in units
        }
        order = [u.pk for u in units]
    if connection.vendor == "postgresql":
        found = _aggregate_postgresql(start, end, groups, now)
    else:
        found = _aggregate_python(start, end, groups, now)
    return [found.get(unit_id) or _empty(unit_id) for unit_id in order]


def _empty(unit_id: int) -> UnitStats:
    return UnitStats(
        unit_id=unit_id,
        received=0,
        answered=0,
        first_response_median_working_minutes=None,
        first_response_median_clock_minutes=None,
        first_response_within_target_share=None,
        resolved=0,
        resolved_share=None,
        resolution_median_working_minutes=None,
        resolution_median_clock_minutes=None,
        reopen_rate=None,
        rating_average=None,
        rating_count=0,
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _stats(unit_id: int, r: dict) -> UnitStats:
    """One UnitStats from the aggregate row `r` (same keys on both backends)."""
    return UnitStats(
        unit_id=unit_id,
        received=r["received"],
        answered=r["answered"],
        first_response_median_working_minutes=_minutes_or_none(r["fr_working"]),
        first_response_median_clock_minutes=_minutes_or_none(r["fr_clock"]),
        first_response_within_target_share=_share(r["fr_within"], r["fr_decided"]),
        resolved=r["resolved"],
        resolved_share=_share(r["resolved"], r["received"]),
        resolution_median_working_minutes=_minutes_or_none(r["res_working"]),
        resolution_median_clock_minutes=_minutes_or_none(r["res_clock"]),
        reopen_rate=_share(r["reopened"], r["finished"]),
        rating_average=(r["rating_sum"] / r["rating_count"]) if r["rating_count"] else None,
        rating_count=r["rating_count"],
        resolution_within_target_share=_share(r["res_within"], r["res_decided"]),
        open=r["open"],
    )


def _minutes_or_none(seconds) -> float | None:
    return None if seconds is None else float(seconds) / 60


# A case's first-response outcome is decided once it was answered, it ended, or its
# deadline passed unanswered; only decided cases enter the within-target share.
_SQL = """
WITH member(group_id, unit_id) AS (SELECT * FROM unnest(%(group_ids)s::bigint[],
                                                       %(unit_ids)s::bigint[]))
SELECT member.group_id,
       count(*) AS received,
       count(*) FILTER (WHERE m.is_open) AS open,
       count(m.first_response_at) AS answered,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.first_response_working_seconds)
           AS fr_working,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.first_response_clock_seconds)
           AS fr_clock,
       count(*) FILTER (WHERE m.first_response_within) AS fr_within,
       count(*) FILTER (WHERE m.first_response_within IS NOT NULL
                           OR m.first_response_due_at < %(now)s) AS fr_decided,
       count(m.resolved_at) AS resolved,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.resolution_working_seconds)
           AS res_working,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY m.resolution_clock_seconds)
           AS res_clock,
       count(*) FILTER (WHERE m.resolution_within) AS res_within,
       count(*) FILTER (WHERE m.resolution_within IS NOT NULL
                           OR (m.is_open AND m.resolution_due_at < %(now)s)) AS res_decided,
       count(*) FILTER (WHERE m.reopened > 0) AS reopened,
       count(*) FILTER (WHERE m.finished) AS finished,
       coalesce(sum(m.rating), 0) AS rating_sum,
       count(m.rating) AS rating_count
FROM sla_casemetric m
JOIN member ON member.unit_id = m.unit_id
WHERE m.opened_at >= %(start)s AND m.opened_at < %(end)s AND m.counted
GROUP BY member.group_id
"""


def _aggregate_postgresql(start, end, groups, now) -> dict[int, UnitStats]:
    group_ids, unit_ids = [], []
    for group_id, members in groups.items():
        group_ids.extend([group_id] * len(members))
        unit_ids.extend(members)
    with transaction.atomic(), connection.cursor() as cursor:
        # A month of a large regency is a few hundred thousand rows per median: give the
        # sorts room in memory (the server default, 4 MB, sends them to disk), and skip JIT
        # compilation, which costs more than it saves on a query run once.
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            _SQL,
            {
                "group_ids": group_ids,
                "unit_ids": unit_ids,
                "start": start,
                "end": end,
                "now": now,
            },
        )
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return {r["group_id"]: _stats(r["group_id"], r) for r in rows}


def _aggregate_python(start, end, groups, now) -> dict[int, UnitStats]:
    """The same aggregate as `_SQL`, for databases without percentile_cont (SQLite)."""
    member_of: dict[int, list[int]] = defaultdict(list)
    for group_id, members in groups.items():
        for unit_id in members:
            member_of[unit_id].append(group_id)
    rows = CaseMetric.objects.filter(
        opened_at__gte=start, opened_at__lt=end, counted=True, unit_id__in=list(member_of)
    ).values()
    acc: dict[int, dict] = {}
    values: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for m in rows:
        for group_id in member_of[m["unit_id"]]:
            a = acc.setdefault(group_id, defaultdict(int))
            a["received"] += 1
            a["open"] += m["is_open"]
            for name, column in (
                ("fr_working", "first_response_working_seconds"),
                ("fr_clock", "first_response_clock_seconds"),
                ("res_working", "resolution_working_seconds"),
                ("res_clock", "resolution_clock_seconds"),
            ):
                if m[column] is not None:
                    values[group_id][name].append(m[column])
            a["answered"] += m["first_response_at"] is not None
            a["fr_within"] += m["first_response_within"] is True
            a["fr_decided"] += m["first_response_within"] is not None or (
                m["first_response_due_at"] is not None and m["first_response_due_at"] < now
            )
            a["resolved"] += m["resolved_at"] is not None
            a["res_within"] += m["resolution_within"] is True
            a["res_decided"] += m["resolution_within"] is not None or (
                m["is_open"] and m["resolution_due_at"] is not None and m["resolution_due_at"] < now
            )
            a["reopened"] += m["reopened"] > 0
            a["finished"] += m["finished"]
            if m["rating"] is not None:
                a["rating_sum"] += m["rating"]
                a["rating_count"] += 1
    found = {}
    for group_id, a in acc.items():
        for name in ("fr_working", "fr_clock", "res_working", "res_clock"):
            series = values[group_id][name]
            a[name] = statistics.median(series) if series else None
        found[group_id] = _stats(group_id, a)
    return found
