#!/usr/bin/env python
"""Inbox p95: server time of the case list and the case page with 1,000,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/inbox_p95.py [--cases 1000000] [--requests 200] [--regenerate]
        [--database wadul_bench_inbox] [--json]

DATABASE_URL names the PostgreSQL server (any database on it); the benchmark works in its own
database `wadul_bench_inbox`, which it creates, fills once with the Banyuwangi demo plus
--cases generated cases (bulk SQL, fixed seed) and keeps for the next run (--regenerate
rebuilds it; --drop removes it at the end). Each page is requested in-process through
Django's test client as a logged-in official, so the time measured is the server's: URL
routing, middleware (sessions, second factor, session epoch), queries and template
rendering — no network. Target: p95 <= 100 ms (issue 7).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
# Appended, not put first: PYTHONPATH naming another checkout runs that checkout's `wadul`.
sys.path.append(str(ROOT))
BENCH_DB = "wadul_bench_inbox"
SEED = 7
TARGET_MS = 100.0


def parse_args() -> argparse.Namespace:
    global BENCH_DB  # noqa: PLW0603 (--database renames the one database the helpers use)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument("--database", default=BENCH_DB, help="name of the bench database")
    parser.add_argument("--json", action="store_true", help="print the rows as one JSON line")
    args = parser.parse_args()
    BENCH_DB = args.database
    return args


def database_urls() -> tuple[str, str]:
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlparse(server)
    if not parts.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must point to a PostgreSQL server")
    return server, urlunparse(parts._replace(path=f"/{BENCH_DB}"))


def ensure_database(server_url: str, regenerate: bool) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB,)
        ).fetchone()
        if exists and regenerate:
            conn.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def setup_django(bench_url: str) -> None:
    var_dir = ROOT / "var" / ("bench-inbox" if BENCH_DB == "wadul_bench_inbox" else BENCH_DB)
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DATABASE_URL=bench_url,
        WADUL_VAR_DIR=str(var_dir),
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijkl"),
        ALLOWED_HOSTS="testserver,127.0.0.1",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


GENERATE = r"""
-- Check foreign keys per statement, so the index can be rebuilt in the same transaction.
SET CONSTRAINTS ALL IMMEDIATE;
CREATE FUNCTION pg_temp.tracking(i bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT substr(s, 1, 4) || '-' || substr(s, 5, 4) FROM (
    SELECT string_agg(
      substr('23456789ABCDEFGHJKMNPQRSTWXYZ',
             (((i * 7919 + 12345) %% 500246412961) / power(29, k)::bigint %% 29)::int + 1, 1),
      '' ORDER BY k DESC) AS s
    FROM generate_series(0, 7) AS k) AS digits
$$;

CREATE TEMP TABLE bench_units AS
  SELECT row_number() OVER (ORDER BY id) AS n, id FROM organisation_unit WHERE kind <> 'external';
CREATE TEMP TABLE bench_desa AS
  SELECT row_number() OVER (ORDER BY code) AS n, code FROM organisation_region WHERE level = 4;
CREATE TEMP TABLE bench_texts (n int, subject text, answer text);
INSERT INTO bench_texts VALUES
 (0, 'Jalan berlubang parah di depan sekolah', 'Tim Bina Marga sudah menjadwalkan penambalan.'),
 (1, 'Lampu PJU mati sudah seminggu', 'Lampu sudah diganti petugas PJU.'),
 (2, 'Sampah di TPS menumpuk belum diangkut', 'Armada pengangkut dijadwalkan besok pagi.'),
 (3, 'Pelayanan puskesmas lama sekali', 'Kepala puskesmas menambah loket pendaftaran.'),
 (4, 'Cara mengurus KTP yang hilang', 'Bawa surat kehilangan dan fotokopi KK ke MPP.'),
 (5, 'Parkir liar bikin macet di pasar', 'Petugas Dishub sudah melakukan penertiban.'),
 (6, 'Selokan mampet air meluber ke jalan', 'Normalisasi saluran dijadwalkan minggu ini.'),
 (7, 'Minta fogging banyak warga kena DBD', 'Tim P2P melakukan penyelidikan epidemiologi.'),
 (8, 'Jembatan kayu lapuk membahayakan anak sekolah', 'Perbaikan jembatan masuk daftar prioritas.'),
 (9, 'Lampu lalu lintas di simpang mati', 'APILL sudah diperbaiki tim Dishub.');

SELECT setseed(%(seed)s);
CREATE TEMP TABLE bench_draws AS
  SELECT g, random() AS r_status, random() AS r_unit, random() AS r_age, random() AS r_desa,
         random() AS r_text, random() AS r_answer
  FROM generate_series(1, %(cases)s) AS g;

INSERT INTO cases_contact (display_name, consent_at, created_at)
  SELECT 'Warga ' || g, now(), now() FROM generate_series(1, %(contacts)s) AS g;

INSERT INTO cases_case (
  tracking_number, access_token, type, channel, channel_number_id, contact_id, unit_id,
  assigned_to_id, referred_to_id, status, visibility, priority, subject, description,
  region_id, latitude, longitude, duplicate_of_id, rating, rating_comment, created_at,
  updated_at, first_response_at, resolved_at, closed_at, last_inbound_at,
  first_response_due_at, next_response_due_at, resolution_due_at)
SELECT pg_temp.tracking(d.g), gen_random_uuid(),
  (ARRAY['complaint', 'complaint', 'complaint', 'suggestion', 'information_request',
         'service_request'])[1 + d.g %% 6],
  'whatsapp', NULL,
  (SELECT min(id) FROM cases_contact) + d.g %% %(contacts)s,
  CASE WHEN st.status = 'triage' THEN NULL
       ELSE (SELECT id FROM bench_units
             WHERE n = 1 + floor(d.r_unit * (SELECT count(*) FROM bench_units))::int) END,
  NULL, NULL, st.status, 'public', 'normal', t.subject || ' #' || d.g, t.subject,
  (SELECT code FROM bench_desa
   WHERE n = 1 + floor(d.r_desa * (SELECT count(*) FROM bench_desa))::int),
  NULL, NULL, NULL,
  CASE WHEN st.status IN ('resolved','closed') AND d.r_answer < 0.3 THEN 1 + (d.g %% 5) END, '',
  c.created, c.created + interval '3 hours',
  CASE WHEN st.status NOT IN ('triage','assigned','reopened')
       THEN c.created + interval '90 minutes' END,
  CASE WHEN st.status IN ('resolved','closed') THEN c.created + interval '3 days' END,
  CASE WHEN st.status = 'closed' THEN c.created + interval '10 days' END,
  c.created,
  CASE WHEN st.status IN ('triage','assigned','reopened') THEN c.created + interval '2 hours' END,
  NULL,
  CASE WHEN st.status IN ('triage','assigned','in_progress','answered','reopened')
       THEN c.created + interval '5 days' END
FROM bench_draws AS d
CROSS JOIN LATERAL (SELECT now() - (d.r_age ^ 2) * interval '1095 days' AS created) AS c
CROSS JOIN LATERAL (SELECT CASE
    WHEN d.r_status < 0.780 THEN 'closed' WHEN d.r_status < 0.860 THEN 'resolved'
    WHEN d.r_status < 0.880 THEN 'referred' WHEN d.r_status < 0.890 THEN 'rejected'
    WHEN d.r_status < 0.900 THEN 'merged' WHEN d.r_status < 0.905 THEN 'triage'
    WHEN d.r_status < 0.940 THEN 'assigned' WHEN d.r_status < 0.960 THEN 'in_progress'
    WHEN d.r_status < 0.970 THEN 'waiting' WHEN d.r_status < 0.995 THEN 'answered'
    ELSE 'reopened' END AS status) AS st
JOIN bench_texts AS t ON t.n = floor(d.r_text * 10)::int
ON CONFLICT (tracking_number) DO NOTHING;

-- One official of each unit takes a third of its cases.
UPDATE cases_case AS c SET assigned_to_id = o.id
FROM (SELECT DISTINCT ON (unit_id) id, unit_id FROM organisation_official ORDER BY unit_id, id) AS o
WHERE c.unit_id = o.unit_id AND c.id %% 3 = 0 AND c.id > %(first_id)s;

INSERT INTO cases_message (case_id, direction, text, author_id, via, delivery, delivery_error,
                           external_id, created_at)
  SELECT id, 'inbound', description, NULL, 'whatsapp', 'n/a', '', '', created_at
  FROM cases_case WHERE id > %(first_id)s;
INSERT INTO cases_message (case_id, direction, text, author_id, via, delivery, delivery_error,
                           external_id, created_at)
  SELECT c.id, 'outbound', t.answer, c.assigned_to_id, 'inbox', 'read', '', '', c.first_response_at
  FROM cases_case AS c JOIN bench_texts AS t ON t.n = c.id %% 10
  WHERE c.id > %(first_id)s AND c.first_response_at IS NOT NULL;

INSERT INTO cases_caseevent (case_id, kind, actor_id, via, from_status, to_status, from_unit_id,
                             to_unit_id, message_id, data, at, recorded_at)
  SELECT id, 'opened', NULL, 'whatsapp', '', 'received', NULL, NULL, NULL, '{}', created_at,
         created_at
  FROM cases_case WHERE id > %(first_id)s;
INSERT INTO cases_caseevent (case_id, kind, actor_id, via, from_status, to_status, from_unit_id,
                             to_unit_id, message_id, data, at, recorded_at)
  SELECT id, CASE WHEN unit_id IS NULL THEN 'triaged' ELSE 'assigned' END, NULL, 'system',
         'received', CASE WHEN unit_id IS NULL THEN 'triage' ELSE 'assigned' END, NULL, unit_id,
         NULL, '{}', created_at, created_at
  FROM cases_case WHERE id > %(first_id)s;

DROP INDEX IF EXISTS inbox_casesearch_vector;
INSERT INTO inbox_casesearch (case_id, document)
  SELECT c.id,
         c.tracking_number || E'\n' || c.subject || E'\n'
         || string_agg(m.text, E'\n' ORDER BY m.id)
  FROM cases_case AS c JOIN cases_message AS m ON m.case_id = c.id
  WHERE c.id > %(first_id)s GROUP BY c.id;
CREATE INDEX inbox_casesearch_vector ON inbox_casesearch USING GIN (search_vector);
"""


def generate(cases: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (cases int, seed int)")
        cursor.execute("SELECT cases, seed FROM bench_meta")
        if cursor.fetchone() == (cases, SEED):
            print(f"Reusing {BENCH_DB} ({cases:,} generated cases, seed {SEED}).")
            return
    print("Loading the demo regency …", flush=True)
    call_command("load_demo", quiet_logins=True, verbosity=0)
    started = time.perf_counter()
    print(f"Generating {cases:,} cases with bulk SQL (seed {SEED}) …", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        first_id = cursor.fetchone()[0]
        params = {
            "cases": cases,
            "contacts": max(1, cases // 5),
            "seed": SEED / 100,
            "first_id": first_id,
        }
        # Integers only, formatted here so the script runs as one multi-statement query.
        cursor.execute(GENERATE % params)
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s)", (cases, SEED))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s.", flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def time_pages(label: str, client, urls: list[str], requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:10]:  # warm connections, caches, templates
        client.get(url)
    samples, queries = [], []
    for index in range(requests):
        url = urls[index % len(urls)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        queries.append(len(captured.captured_queries))
    return {
        "label": label,
        "n": requests,
        "p50": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "max": max(samples),
        "queries": statistics.median(queries),
    }


def run(requests: int) -> list[dict]:
    from django.test import Client

    from wadul.cases import access
    from wadul.organisation.models import Official

    rng = random.Random(SEED)
    results = []
    scenarios = [
        ("pu.jalan", "staff · DPU-CK-BM"),
        ("pu.kepala", "head · DPU-CK + bidang"),
        ("operator", "operator · all units"),
    ]
    for username, who in scenarios:
        official = Official.objects.get(username=username)
        client = Client()
        client.force_login(official)
        visible = access.visible_cases(official)
        total = visible.count()
        print(f"{username}: {total:,} visible cases", flush=True)
        default = "/inbox/"
        list_urls = [default, f"{default}?page=2", f"{default}?antrian=unit&page=3"]
        results.append(time_pages(f"case list, default queue ({who})", client, list_urls, requests))
        filtered = [
            "/inbox/?antrian=all&status=closed&type=complaint",
            "/inbox/?antrian=overdue",
            "/inbox/?antrian=mine",
        ]
        results.append(time_pages(f"case list, filters ({who})", client, filtered, requests))
        ids = list(visible.order_by("?").values_list("tracking_number", flat=True)[:requests])
        rng.shuffle(ids)
        case_urls = [f"/inbox/kasus/{number}/" for number in ids]
        results.append(time_pages(f"case page ({who})", client, case_urls, requests))
        live_urls = [f"/inbox/kasus/{number}/terbaru/" for number in ids]
        results.append(time_pages(f"case live poll ({who})", client, live_urls, requests))
    operator = Official.objects.get(username="operator")
    client = Client()
    client.force_login(operator)
    search = ["/inbox/?antrian=all&q=jembatan+lapuk", "/inbox/?antrian=all&q=sampah"]
    results.append(time_pages("search, full text (operator, all cases)", client, search, 40))
    return results


def machine() -> str:
    cpu = ""
    try:
        for line in subprocess.run(
            ["/usr/bin/lscpu"], capture_output=True, text=True
        ).stdout.splitlines():
            if line.startswith("Model name"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {cpu}, {memory:.0f} GiB RAM, PostgreSQL {version}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    args = parse_args()
    server_url, bench_url = database_urls()
    ensure_database(server_url, args.regenerate)
    setup_django(bench_url)
    generate(args.cases)
    from wadul.cases.models import Case

    print(f"Cases in the database: {Case.objects.count():,}")
    results = run(args.requests)
    print(f"\nMachine: {machine()}")
    print("\n| page | requests | p50 ms | p95 ms | max ms | queries | target p95 |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for row in results:
        target = f"≤ {TARGET_MS:.0f} ms" if not row["label"].startswith("search") else "—"
        verdict = "" if target == "—" else (" ✓" if row["p95"] <= TARGET_MS else " ✗")
        print(
            f"| {row['label']} | {row['n']} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['max']:.1f} | {row['queries']:.0f} | {target}{verdict} |"
        )
    if args.json:
        print(json.dumps(results))
    if args.drop:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
