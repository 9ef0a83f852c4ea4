#!/usr/bin/env python
"""PPID: server time of the DIP page and the PPID queue, and `ppid_report`'s time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/ppid.py [--requests-in-db 100000] [--requests 200]
        [--dip-items 2000] [--regenerate] [--drop] [--json]

Works in its own PostgreSQL database `wadul_bench_ppid` (created, filled once with the
Banyuwangi demo plus --requests-in-db information requests and --dip-items DIP entries by
bulk SQL with a fixed seed, kept for the next run). Pages are requested in-process through
Django's test client (server time: routing, middleware, queries, templates; no network).
Targets (issue 18): DIP and PPID queue p95 <= 100 ms, `ppid_report` <= 2 s, at 100,000
requests.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import inbox_p95 as common  # noqa: E402 (the bench helpers: database, Django, timing)

common.BENCH_DB = "wadul_bench_ppid"
SEED = 18

GENERATE = r"""
SET CONSTRAINTS ALL IMMEDIATE;
SELECT setseed(%(seed)s);
CREATE TEMP TABLE bench_pelaksana AS
  SELECT row_number() OVER (ORDER BY unit_id) AS n, unit_id FROM ppid_desk
  WHERE role IN ('pelaksana', 'utama');
CREATE TEMP TABLE bench_draws AS
  SELECT g, random() AS r_stage, random() AS r_unit, random() AS r_age, random() AS r_dec
  FROM generate_series(1, %(requests)s) AS g;

INSERT INTO cases_case (
  tracking_number, access_token, type, channel, unit_id, status, visibility, priority,
  subject, description, rating_comment, created_at, updated_at, resolution_due_at)
SELECT 'P' || lpad(d.g::text, 8, '0'), gen_random_uuid(), 'information_request', 'web',
  (SELECT unit_id FROM bench_pelaksana
   WHERE n = 1 + floor(d.r_unit * (SELECT count(*) FROM bench_pelaksana))::int),
  CASE WHEN d.r_stage < 0.85 THEN 'closed' WHEN d.r_stage < 0.95 THEN 'assigned'
       ELSE 'waiting' END,
  'private', 'normal', 'Permohonan informasi #' || d.g, 'Salinan dokumen anggaran #' || d.g,
  '', now() - (d.r_age ^ 2) * interval '1095 days', now(),
  now() - (d.r_age ^ 2) * interval '1095 days' + interval '14 days'
FROM bench_draws AS d;

INSERT INTO ppid_ppidrequest (
  case_id, registration_number, year, stage, name, nik, address, contact, information,
  purpose, obtain, receive, subject_public, received_at, notice_due_at, extended_at,
  extension_reason, completion_asked, decision, decided_at, decision_text, exemption_basis,
  consequence_test, redactions, holding_body, cost, working_days, on_time, delivered_at,
  objected_at, objection_grounds, objection_text, objection_due_at, outcome, outcome_text,
  outcome_at)
SELECT c.id, lpad(d.g::text, 7, '0') || '/PPID/BENCH',
  extract(year FROM c.created_at AT TIME ZONE 'Asia/Jakarta')::int,
  CASE WHEN c.status = 'closed' THEN (CASE WHEN d.r_dec < 0.05 THEN 'objected' ELSE 'delivered' END)
       WHEN c.status = 'waiting' THEN 'completion' ELSE 'forwarded' END,
  'Pemohon ' || d.g, '3510014506900001', 'Banyuwangi', '-', c.description, 'Penelitian',
  'salinan', 'email', d.g %% 3 = 0, c.created_at, c.created_at + interval '14 days',
  CASE WHEN d.r_dec < 0.1 THEN c.created_at + interval '5 days' END, '', '',
  CASE WHEN c.status <> 'closed' THEN ''
       WHEN d.r_dec < 0.6 THEN 'granted' WHEN d.r_dec < 0.8 THEN 'partly_granted'
       WHEN d.r_dec < 0.9 THEN 'refused' ELSE 'not_held' END,
  CASE WHEN c.status = 'closed' THEN c.created_at + interval '8 days' END, '',
  CASE WHEN c.status = 'closed' AND d.r_dec >= 0.6 AND d.r_dec < 0.9 THEN '17h' ELSE '' END,
  '', '', '', '',
  CASE WHEN c.status = 'closed' THEN 1 + (d.g %% 16) END,
  CASE WHEN c.status = 'closed' THEN d.g %% 16 < 11 END,
  NULL, CASE WHEN d.r_dec < 0.05 THEN c.created_at + interval '20 days' END, '[]', '',
  NULL, '', '', NULL
FROM bench_draws AS d JOIN cases_case AS c ON c.tracking_number = 'P' || lpad(d.g::text, 8, '0');

INSERT INTO ppid_dipitem (number, summary, unit_id, responsible, made, form, retention,
                          category, consequence_test_ref, url, published_at)
SELECT 'BENCH-' || g, 'Dokumen anggaran dan kinerja nomor ' || g,
  (SELECT unit_id FROM bench_pelaksana WHERE n = 1 + g %% (SELECT count(*) FROM bench_pelaksana)),
  'Kepala OPD', '2026, Banyuwangi', 'PDF', '5 tahun',
  (ARRAY['berkala', 'setiap_saat', 'setiap_saat', 'serta_merta', 'dikecualikan'])[1 + g %% 5],
  CASE WHEN g %% 5 = 4 THEN 'UK-' || g ELSE '' END, '', now() - g * interval '1 hour'
FROM generate_series(1, %(dip)s) AS g;
"""


def generate(requests: int, dip: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (requests int, dip int, seed int)")
        cursor.execute("SELECT requests, dip, seed FROM bench_meta")
        if cursor.fetchone() == (requests, dip, SEED):
            print(f"Reusing {common.BENCH_DB} ({requests:,} requests).")
            return
    print("Loading the demo regency …", flush=True)
    call_command("load_demo", quiet_logins=True, verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(GENERATE % {"requests": requests, "dip": dip, "seed": SEED / 100})
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s, %s)", (requests, dip, SEED))
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s.", flush=True)


def run(requests: int) -> list[dict]:
    from django.core.management import call_command
    from django.test import Client

    from wadul.organisation.models import Official
    from wadul.ppid.models import PpidRequest

    results = []
    public = Client()
    dip_urls = ["/informasi/", "/informasi/?q=anggaran", "/informasi/?kategori=berkala"]
    results.append(common.time_pages("DIP page (public)", public, dip_urls, requests))
    for username in ("ppid.pu", "operator"):
        client = Client()
        client.force_login(Official.objects.get(username=username))
        urls = ["/inbox/ppid/", "/inbox/ppid/?antrian=keberatan", "/inbox/ppid/?antrian=diputus"]
        results.append(common.time_pages(f"PPID queue ({username})", client, urls, requests))
    year = max(PpidRequest.objects.values_list("year", flat=True).distinct())
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        call_command("ppid_report", year=year, format="json", stdout=io.StringIO())
        samples.append((time.perf_counter() - started) * 1000)
    results.append(
        {
            "label": f"ppid_report --year {year} --format json",
            "n": 5,
            "p50": statistics.median(samples),
            "p95": max(samples),
            "max": max(samples),
            "queries": 0,
        }
    )
    return results


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests-in-db", type=int, default=100_000)
    parser.add_argument("--dip-items", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    server_url, bench_url = common.database_urls()
    common.ensure_database(server_url, args.regenerate)
    common.setup_django(bench_url)
    generate(args.requests_in_db, args.dip_items)
    from wadul.ppid.models import PpidRequest

    print(f"Requests in the database: {PpidRequest.objects.count():,}")
    results = run(args.requests)
    print(f"\nMachine: {common.machine()}")
    print("\n| what | n | p50 ms | p95 ms | max ms | queries | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for row in results:
        target = 2000.0 if row["label"].startswith("ppid_report") else 100.0
        verdict = "✓" if row["p95"] <= target else "✗"
        print(
            f"| {row['label']} | {row['n']} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['max']:.1f} | {row['queries']:.0f} | ≤ {target:.0f} ms {verdict} |"
        )
    if args.json:
        print(json.dumps(results))
    if args.drop:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{common.BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
