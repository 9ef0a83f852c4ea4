"""Benchmark: the per-unit monthly metrics query (`wadul.sla.metrics.unit_stats`) over
10,000,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/metrics_monthly.py

Creates the database `wadul_bench_clock_metrics`, migrates it, generates a regency and N
cases spread evenly over M months with their `sla_casemetric` rows (bulk SQL; every value a
function of the row number), times `unit_stats` for one month — per unit, and for the
league table (agencies with their sub-units, plus the whole regency) — then drops the
database. Target (issue 6): ≤ 1 s.

To keep generation bounded, the secondary indexes of `cases_case` (which the metrics
query never reads) are dropped before loading and foreign keys are not checked during the
load (`session_replication_role = replica`); `sla_casemetric` keeps exactly the indexes its
migration creates (built after the load).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime

from clock_common import bench_database, fast_passwords, machine, regency

CASES_SQL = """
INSERT INTO cases_case (id, tracking_number, access_token, type, channel, status, visibility,
    priority, subject, description, rating_comment, created_at, updated_at, unit_id)
SELECT g, 'M' || lpad(to_hex(g), 8, '0'), md5('case' || g)::uuid, 'complaint', 'whatsapp',
       CASE WHEN mod(g, 20) = 0 THEN 'in_progress' ELSE 'closed' END,
       'public', 'normal', '', '', '',
       %(start)s + (g - 1) * %(step)s, %(start)s + (g - 1) * %(step)s,
       (%(units)s::bigint[])[1 + mod(g, %(nunits)s)]
FROM generate_series(%(low)s, %(high)s) AS g
"""

# Plausible, deterministic figures: first answers within 0–10 hours, resolutions within
# 0–10 days, 2 % spam, 5 % open, a quarter unresolved, one in 25 reopened, a third rated.
METRICS_SQL = """
INSERT INTO sla_casemetric (case_id, unit_id, case_type, opened_at, counted, is_open,
    first_response_at, first_response_due_at, first_response_working_seconds,
    first_response_clock_seconds, first_response_within, responses, resolved_at,
    resolution_due_at, resolution_working_seconds, resolution_clock_seconds,
    resolution_within, finished, reopened, rating)
SELECT g, unit, 'complaint', opened, mod(g, 50) <> 0, mod(g, 20) = 0,
       CASE WHEN answered THEN opened + make_interval(mins => fr) END,
       opened + interval '2 hours',
       CASE WHEN answered THEN fr * 36 END,
       CASE WHEN answered THEN fr * 60 END,
       CASE WHEN answered THEN fr * 36 <= 7200 WHEN mod(g, 20) <> 0 THEN false END,
       1 + mod(g, 4),
       CASE WHEN resolved THEN opened + make_interval(mins => res) END,
       opened + interval '7 days',
       CASE WHEN resolved THEN res * 21 END,
       CASE WHEN resolved THEN res * 60 END,
       CASE WHEN resolved THEN res * 21 <= 2550 * 60 END,
       mod(g, 20) <> 0, CASE WHEN mod(g, 25) = 0 THEN 1 ELSE 0 END,
       CASE WHEN resolved AND mod(g, 3) = 0 THEN 1 + mod(g, 5) END
FROM (
    SELECT g, (%(units)s::bigint[])[1 + mod(g, %(nunits)s)] AS unit,
           %(start)s + (g - 1) * %(step)s AS opened,
           mod(g, 10) <> 0 AS answered, mod(g::bigint * 7919, 600)::int AS fr,
           mod(g, 4) <> 0 AND mod(g, 20) <> 0 AS resolved,
           mod(g::bigint * 104729, 14400)::int AS res
    FROM generate_series(%(low)s, %(high)s) AS g
) AS s
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="wadul_bench_clock_metrics")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()

    with bench_database(args.database, keep=args.keep):
        from django.db import connection
        from django.utils import timezone

        from wadul.organisation.models import Unit
        from wadul.sla import metrics

        fast_passwords()
        root, units = regency()
        first = timezone.make_aware(datetime(2023, 1, 1))
        span = _month_start(first, args.months) - first
        step = span / args.cases
        started = time.perf_counter()
        with connection.cursor() as cursor:
            _drop_secondary_indexes(cursor, "cases_case")
            cursor.execute("DROP INDEX casemetric_period")
            cursor.execute("SET session_replication_role = replica")
            chunk = 1_000_000
            for low in range(1, args.cases + 1, chunk):
                params = {
                    "low": low,
                    "high": min(low + chunk - 1, args.cases),
                    "start": first,
                    "step": step,
                    "units": [u.pk for u in units],
                    "nunits": len(units),
                }
                cursor.execute(CASES_SQL, params)
                cursor.execute(METRICS_SQL, params)
                print(f"  … {params['high']:,} cases", flush=True)
            cursor.execute("SET session_replication_role = origin")
            cursor.execute("CREATE INDEX casemetric_period ON sla_casemetric (opened_at, unit_id)")
            cursor.execute("VACUUM ANALYZE sla_casemetric")
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('sla_casemetric'))")
            size = cursor.fetchone()[0]
        generated = time.perf_counter() - started
        print(f"generated {args.cases:,} cases and metrics rows in {generated:.0f} s ({size})")

        month_start = _month_start(first, args.months // 2)
        month_end = _month_start(first, args.months // 2 + 1)
        league = [*Unit.objects.filter(parent=root, kind=Unit.Kind.DINAS).order_by("pk"), root]
        in_month = metrics.CaseMetric.objects.filter(
            opened_at__gte=month_start, opened_at__lt=month_end
        ).count()

        results = []
        for label, units_arg in (
            ("per unit, own cases (units=None)", None),
            (f"league table: {len(league) - 1} agencies with sub-units + regency", league),
        ):
            times, rows = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                rows = metrics.unit_stats(month_start, month_end, units=units_arg)
                times.append(time.perf_counter() - started)
            results.append((label, len(rows), times, rows))

        print()
        print(f"Machine: {machine()}")
        print(
            f"Data: {args.cases:,} cases over {args.months} months; month measured "
            f"{month_start:%Y-%m}: {in_month:,} cases; sla_casemetric {size}"
        )
        print()
        print("| query | rows | first run | median of runs | max | target |")
        print("|---|---|---|---|---|---|")
        for label, count, times, _rows in results:
            print(
                f"| {label} | {count} | {times[0] * 1000:.0f} ms "
                f"| {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms "
                f"| ≤ 1000 ms |"
            )
        regency_row = results[1][3][-1]
        print()
        print(
            f"Regency row: received {regency_row.received:,}, within target share "
            f"{regency_row.first_response_within_target_share:.3f}, median first response "
            f"{regency_row.first_response_median_working_minutes:.1f} working minutes"
        )


def _month_start(first: datetime, months: int) -> datetime:
    year, month = divmod(first.month - 1 + months, 12)
    return first.replace(year=first.year + year, month=month + 1)


def _drop_secondary_indexes(cursor, table: str) -> None:
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE '%%pkey'",
        [table],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')


if __name__ == "__main__":
    main()
