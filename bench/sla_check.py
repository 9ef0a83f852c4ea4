"""Benchmark: `wadul sla_check` (the escalation sweep) over 1,000,000 open cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/sla_check.py

Creates the database `wadul_bench_clock`, migrates it, generates a regency, N open cases
with deadlines and their pending escalation steps in bulk SQL (deterministic: every value
is a function of the row number and of the start time), runs the sweep at that start time
in three situations, prints a report and drops the database. Target (issue 6): ≤ 10 s for
1,000,000 open cases.
"""

from __future__ import annotations

import argparse
import time

from clock_common import bench_database, fast_passwords, machine, regency

CASES_SQL = """
INSERT INTO cases_case (tracking_number, access_token, type, channel, status, visibility,
    priority, subject, description, rating_comment, created_at, updated_at, unit_id,
    first_response_due_at, next_response_due_at, resolution_due_at)
SELECT 'B' || lpad(to_hex(g), 8, '0'),
       md5('case' || g)::uuid,
       (ARRAY['complaint', 'complaint', 'complaint', 'information_request',
              'service_request', 'suggestion'])[1 + mod(g, 6)],
       'whatsapp',
       CASE WHEN g <= %(due)s THEN 'assigned'
            ELSE (ARRAY['assigned', 'in_progress', 'answered', 'waiting', 'reopened',
                        'assigned', 'in_progress', 'answered', 'answered',
                        'in_progress'])[1 + mod(g, 10)] END,
       'public', 'normal', 'Jalan rusak nomor ' || g, '', '',
       %(now)s - make_interval(mins => mod(g, 14400)),
       %(now)s - make_interval(mins => mod(g, 14400)),
       (%(units)s::bigint[])[1 + mod(g, %(nunits)s)],
       CASE WHEN g <= %(due)s THEN %(now)s - make_interval(mins => 1 + mod(g, 5))
            WHEN mod(g, 10) IN (0, 5) THEN %(now)s + make_interval(mins => 40 + mod(g, 600)) END,
       CASE WHEN g > %(due)s AND mod(g, 10) = 4
            THEN %(now)s + make_interval(mins => 40 + mod(g, 600)) END,
       CASE WHEN g <= %(due)s OR mod(g, 10) <> 3
            THEN %(now)s + interval '2 days' + make_interval(mins => mod(g, 14400)) END
FROM generate_series(1, %(cases)s) AS g
"""

# Every running deadline gets the ladder steps that apply to it (fire times in clock
# minutes here; the application computes them in working minutes — same rows, same index).
ESCALATIONS_SQL = """
INSERT INTO sla_escalation (case_id, deadline, due_at, step_id, fire_at, state)
SELECT c.id, d.deadline, d.due, s.id, d.due + make_interval(mins => s.offset_minutes),
       CASE WHEN s.offset_minutes < 0 AND d.due + make_interval(mins => s.offset_minutes)
                 <= %(now)s THEN 'fired' ELSE 'pending' END
FROM cases_case c
CROSS JOIN LATERAL (VALUES ('first_response', c.first_response_due_at),
                           ('next_response', c.next_response_due_at),
                           ('resolution', c.resolution_due_at)) AS d(deadline, due)
JOIN sla_escalationstep s ON s.is_active
    AND (s.applies_to IN ('all', d.deadline)
         OR (s.applies_to = 'responses' AND d.deadline <> 'resolution'))
WHERE d.due IS NOT NULL
"""

CLAIM_SQL = """
EXPLAIN SELECT case_id FROM sla_escalation WHERE state = 'pending' AND fire_at <= %s
ORDER BY fire_at, id LIMIT 4000
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000, help="steps due in the backlog run")
    parser.add_argument("--steady", type=int, default=500, help="steps due in a normal minute")
    parser.add_argument("--database", default="wadul_bench_clock")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    args = parser.parse_args()

    with bench_database(args.database, keep=args.keep):
        from django.db import connection
        from django.utils import timezone

        from wadul.sla import services
        from wadul.sla.models import Escalation

        fast_passwords()
        _root, units = regency()
        now = timezone.now()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            params = {
                "cases": args.cases,
                "due": args.due,
                "now": now,
                "units": [u.pk for u in units],
                "nunits": len(units),
            }
            # Rows are consistent by construction: skip foreign-key triggers while loading.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(CASES_SQL, params)
            cursor.execute(ESCALATIONS_SQL, {"now": now})
            cursor.execute("SET session_replication_role = origin")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        generated = time.perf_counter() - started
        open_cases = args.cases
        pending = Escalation.objects.filter(state="pending").count()
        print(
            f"generated {open_cases:,} open cases, {pending:,} pending steps in {generated:.0f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute(CLAIM_SQL, [now])
            plan = " / ".join(row[0].strip() for row in cursor.fetchall()[:3])

        runs = []

        def run(label: str, expected: int) -> None:
            started = time.perf_counter()
            result = services.sweep(now=now)
            elapsed = time.perf_counter() - started
            runs.append((label, expected, result, elapsed))

        run("backlog (e.g. after a 25-minute outage)", args.due)
        run("nothing due (the next minute)", 0)
        breach = Escalation.objects.filter(
            state="pending", deadline="resolution", step__offset_minutes=0
        ).order_by("pk")[: args.steady]
        Escalation.objects.filter(pk__in=list(breach.values_list("pk", flat=True))).update(
            fire_at=now
        )
        run("steady state (one minute of breaches)", args.steady)

        print()
        print(f"Machine: {machine()}")
        print(f"Claim query plan: {plan}")
        print()
        print(
            "| run | open cases | pending steps | steps due | fired | notifications "
            "| time | target |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for label, expected, result, elapsed in runs:
            print(
                f"| {label} | {open_cases:,} | {pending:,} | {expected:,} | {result.fired:,} "
                f"| {result.notifications:,} | {elapsed:.2f} s | ≤ 10 s |"
            )


if __name__ == "__main__":
    main()
