"""Portal queries with 10,000,000 cases on PostgreSQL: the public list and the league table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wadul_bench_portal \\
        .venv/bin/python bench/portal_queries.py [--cases 10000000] [--runs 30] [--regenerate]

Generates the data set once (fixed seed, `generate_series`; kept between runs, `--regenerate`
rebuilds it), then requests each page in-process through Django's test client (URL routing,
middleware, views, queries, templates: the server's whole time, no network) and prints p50/p95
per page beside the issue's target of 200 ms. The cases span five years (≈167,000 a month)
over 25 kecamatan, 225 desa and 90 units.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

TARGET_MS = 200.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wadul_bench_portal"
SEED = 0.3510
KECAMATAN = 25
DESA_PER_KECAMATAN = 9
DINAS = 20
BIDANG_PER_DINAS = 2
WORDS = [
    "jalan",
    "rusak",
    "berlubang",
    "lampu",
    "PJU",
    "mati",
    "selokan",
    "mampet",
    "sampah",
    "menumpuk",
    "air",
    "PDAM",
    "keruh",
    "puskesmas",
    "antre",
    "lama",
    "sekolah",
    "atap",
    "bocor",
    "jembatan",
    "lapuk",
    "banjir",
    "genangan",
    "pasar",
    "kumuh",
    "parkir",
    "liar",
    "pedagang",
    "trotoar",
    "pohon",
    "tumbang",
    "izin",
    "usaha",
    "KTP",
    "akta",
    "kelahiran",
    "bansos",
    "listrik",
    "irigasi",
    "sawah",
    "kering",
    "angkot",
    "terminal",
    "posyandu",
    "imunisasi",
]


def setup_django(database_url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.conf import settings

    django.setup()
    # Page rendering needs no collected static files here (no manifest in a bench run).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def prepare_database(database_url: str, cases: int, regenerate: bool) -> bool:
    """True when the data set must be generated: then the database is created afresh (a
    half-finished earlier load never survives)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists and not regenerate:
        with psycopg.connect(database_url) as conn:
            try:
                found = conn.execute("SELECT value FROM bench_portal_state").fetchone()
            except psycopg.errors.UndefinedTable:
                found = None
        if found and found[0] == cases:
            return False
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


# --- data --------------------------------------------------------------------------------------


def build_organisation() -> tuple[list[int], list[str]]:
    from wadul.organisation.models import Official, Region, Unit

    regency = Region.objects.create(code="35.10", name="Banyuwangi", level=2, kind="kabupaten")
    desa_codes = []
    for k in range(1, KECAMATAN + 1):
        lat, lng = -8.1 - 0.5 * (k % 5) / 5, 114.0 + 0.4 * (k // 5) / 5
        kec = Region.objects.create(
            code=f"35.10.{k:02d}",
            name=f"Kecamatan {k}",
            level=3,
            kind="kecamatan",
            parent=regency,
            latitude=lat,
            longitude=lng,
        )
        for d in range(1, DESA_PER_KECAMATAN + 1):
            code = f"35.10.{k:02d}.2{d:03d}"
            Region.objects.create(
                code=code,
                name=f"Desa {k}-{d}",
                level=4,
                kind="desa",
                parent=kec,
                latitude=lat + d * 0.004,
                longitude=lng + d * 0.004,
            )
            desa_codes.append(code)
    pemkab = Unit.objects.create(code="PEMKAB", name="Pemkab Banyuwangi", kind="regency")
    Unit.objects.create(code="PENGADUAN", name="Command Centre", kind="central_desk", parent=pemkab)
    unit_ids = []
    for i in range(1, DINAS + 1):
        dinas = Unit.objects.create(
            code=f"DINAS-{i}", name=f"Dinas {i}", kind="dinas", parent=pemkab
        )
        unit_ids.append(dinas.pk)
        for b in range(1, BIDANG_PER_DINAS + 1):
            bidang = Unit.objects.create(
                code=f"DINAS-{i}-B{b}", name=f"Bidang {i}.{b}", kind="bidang", parent=dinas
            )
            unit_ids.append(bidang.pk)
    for k in range(1, KECAMATAN + 1):
        kec = Unit.objects.create(
            code=f"KEC-{k}",
            name=f"Kecamatan {k}",
            kind="kecamatan",
            parent=pemkab,
            region_id=f"35.10.{k:02d}",
        )
        unit_ids.append(kec.pk)
    Official.objects.create_user("bench-supervisor", role="supervisor", unit=pemkab)
    return unit_ids, desa_codes


def generate(n: int) -> None:
    from django.db import connection

    started = time.perf_counter()
    unit_ids, desa_codes = build_organisation()
    with connection.cursor() as c:
        c.execute("SELECT indexdef, indexname FROM pg_indexes WHERE tablename = 'cases_case'")
        indexes = [(d, name) for d, name in c.fetchall() if not name.endswith("_pkey")]
        c.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'cases_case' "
            "AND indexname IN (SELECT conname FROM pg_constraint)"
        )
        constraint_indexes = {row[0] for row in c.fetchall()}
        for _definition, name in indexes:
            if name not in constraint_indexes:
                c.execute(f'DROP INDEX IF EXISTS "{name}"')
        c.execute("SET session_replication_role = replica")  # no FK triggers while loading
        c.execute("SELECT setseed(%s)", [SEED])
        c.execute(
            "INSERT INTO cases_contact (display_name, created_at) "
            "SELECT 'Warga ' || g, now() FROM generate_series(1, 100000) g"
        )
        c.execute(
            """
            INSERT INTO cases_case (
                tracking_number, access_token, type, channel, contact_id, unit_id, status,
                visibility, priority, subject, description, region_id, latitude, longitude,
                created_at, updated_at, first_response_at, resolved_at, rating, rating_comment)
            SELECT
                substr(lpad(g::text, 8, '0'), 1, 4) || '-' || substr(lpad(g::text, 8, '0'), 5, 4),
                md5(g::text)::uuid,
                (ARRAY['complaint','complaint','complaint','suggestion','information_request',
                       'service_request'])[1 + floor(random() * 6)::int],
                (ARRAY['whatsapp','whatsapp','whatsapp','web','api'])[1 + floor(random() * 5)::int],
                1 + (g %% 100000),
                (%(units)s::bigint[])[1 + floor(random() * %(n_units)s)::int],
                s.status,
                (ARRAY['public','public','public','public','public','public','public',
                       'anonymous','private','confidential'])[1 + floor(random() * 10)::int],
                'normal',
                w.subject,
                w.subject || ' sejak minggu lalu, mohon segera ditangani pak.',
                CASE WHEN random() < 0.85
                     THEN (%(desa)s::text[])[1 + floor(random() * %(n_desa)s)::int] END,
                -8.1 - random() * 0.6, 114.0 + random() * 0.4,
                t.created, t.created + interval '3 days',
                t.created + (random() * interval '8 hours'),
                CASE WHEN s.status IN ('resolved','closed') THEN t.created + interval '2 days' END,
                CASE WHEN s.status = 'closed' AND random() < 0.4
                     THEN 1 + floor(random() * 5)::int END,
                ''
            FROM generate_series(1, %(n)s) g
            CROSS JOIN LATERAL (SELECT now() - random() * interval '5 years' AS created
                WHERE g > 0) t
            CROSS JOIN LATERAL (SELECT (ARRAY[
                'closed','closed','closed','closed','closed','closed','closed','closed',
                'resolved','resolved','resolved','resolved','answered','answered',
                'in_progress','in_progress','assigned','assigned','waiting','triage',
                'referred','rejected'])[1 + floor(random() * 22)::int] || '' AS status
                WHERE g > 0) s
            CROSS JOIN LATERAL (SELECT initcap(
                (%(words)s::text[])[1 + floor(random() * %(n_words)s)::int] || ' ' ||
                (%(words)s::text[])[1 + floor(random() * %(n_words)s)::int] || ' di ' ||
                (%(words)s::text[])[1 + floor(random() * %(n_words)s)::int]) AS subject
                WHERE g > 0) w
            """,
            {
                "n": n,
                "units": unit_ids,
                "n_units": len(unit_ids),
                "desa": desa_codes,
                "n_desa": len(desa_codes),
                "words": WORDS,
                "n_words": len(WORDS),
            },
        )
        print(f"  cases inserted in {time.perf_counter() - started:.0f} s", flush=True)
        c.execute("SET session_replication_role = DEFAULT")
        for definition, name in indexes:
            if name not in constraint_indexes:
                c.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        print(f"  indexes rebuilt in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
        # Marks the data set complete (checked by the next run).
        c.execute("CREATE TABLE bench_portal_state (value bigint)")
        c.execute("INSERT INTO bench_portal_state VALUES (%s)", [n])
    print(f"  generated {n:,} cases in {time.perf_counter() - started:.0f} s", flush=True)


def fill_clock_metrics() -> None:
    """The clock's per-case rows (`sla_casemetric`) for the generated cases, derived from
    their times (first response within 8 h, resolution after 2 days)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute(
            """
            INSERT INTO sla_casemetric (
                case_id, unit_id, case_type, opened_at, counted, is_open,
                first_response_at, first_response_due_at, first_response_working_seconds,
                first_response_clock_seconds, first_response_within, responses,
                resolved_at, resolution_due_at, resolution_working_seconds,
                resolution_clock_seconds, resolution_within, finished, reopened, rating)
            SELECT id, unit_id, type, created_at, status NOT IN ('rejected','merged'),
                status IN ('received','triage','assigned','in_progress','waiting',
                           'answered','reopened'),
                first_response_at, created_at + interval '2 hours',
                extract(epoch FROM first_response_at - created_at)::int / 2,
                extract(epoch FROM first_response_at - created_at)::int,
                first_response_at <= created_at + interval '4 hours', 1,
                resolved_at, created_at + interval '5 days',
                CASE WHEN resolved_at IS NOT NULL THEN 86400 END,
                CASE WHEN resolved_at IS NOT NULL THEN 172800 END,
                CASE WHEN resolved_at IS NOT NULL THEN true END,
                status IN ('resolved','closed','referred'), (id % 50 = 0)::int, rating
            FROM cases_case
            """
        )
        print(f"  clock metrics inserted in {time.perf_counter() - started:.0f} s", flush=True)
        c.execute("ANALYZE sla_casemetric")


# --- measuring -------------------------------------------------------------------------------


def measure(client, url: str, runs: int) -> list[float]:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not database_url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
    fresh = prepare_database(database_url, args.cases, args.regenerate)
    setup_django(database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from wadul.cases.models import Case
    from wadul.organisation.models import Official
    from wadul.portal import listing
    from wadul.portal.stats import Period, compute_unit_stats

    call_command("migrate", verbosity=0)
    if fresh:
        print(f"Generating {args.cases:,} cases …", flush=True)
        generate(args.cases)
    from django.apps import apps

    if apps.is_installed("wadul.sla"):
        from wadul.sla.models import CaseMetric

        if not CaseMetric.objects.exists():
            fill_clock_metrics()
    published = listing.published_cases().order_by()[:10_000_001].count()
    client = Client()
    month = Period.parse(None).previous()
    old = Period.parse(None).back(25)[0]
    cursor = ""
    for _ in range(50):  # the cursor of page 51
        cursor = listing.page(listing.Filters(), cursor).next_cursor
    cases = [
        ("list: no filter", "/kasus/"),
        ("list: unit", "/kasus/?unit=DINAS-7"),
        ("list: kecamatan", "/kasus/?kecamatan=35.10.05"),
        ("list: kecamatan + desa", "/kasus/?kecamatan=35.10.05&desa=35.10.05.2003"),
        ("list: status waiting (rare)", "/kasus/?status=waiting"),
        ("list: type", "/kasus/?type=information_request"),
        (
            "list: one month, 2 years ago",
            f"/kasus/?dari={old.start:%Y-%m-%d}&sampai={old.end:%Y-%m-%d}",
        ),
        (
            "list: unit + status + month",
            f"/kasus/?unit=KEC-3&status=closed&dari={old.start:%Y-%m-%d}&sampai={old.end:%Y-%m-%d}",
        ),
        ("list: page 51 (keyset)", f"/kasus/?sebelum={cursor}"),
        ("list: search 'jembatan'", "/kasus/?q=jembatan"),
        ("league table (this month)", "/statistik/"),
        ("league table (last month)", f"/statistik/?bulan={month.key}"),
        ("league table JSON", f"/data/statistik.json?bulan={month.key}"),
    ]
    has_clock = apps.is_installed("wadul.sla")
    if not has_clock:
        print("The clock (wadul.sla) is not installed: league pages are not measured.")
        cases = [(label, url) for label, url in cases if url.startswith("/kasus/")]
    with connection.cursor() as c:
        c.execute("SELECT version()")
        version = c.fetchone()[0].split(",")[0]
    print(f"\n{published:,} published of {Case.objects.count():,} cases; {version}")
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target")
    for label, url in cases:
        times = measure(client, url, args.runs)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        verdict = "ok" if p95 <= TARGET_MS else "OVER"
        print(f"{label:34} {p50:8.1f} {p95:8.1f} {max(times):8.1f}  ≤ {TARGET_MS:.0f} ms {verdict}")
    if not has_clock:
        return
    client.force_login(Official.objects.get(username="bench-supervisor"))
    times = measure(client, "/pantau/", max(5, args.runs // 3))
    print(
        f"{'dashboard (staff, not in target)':34} {statistics.median(times):8.1f} "
        f"{percentile(times, 0.95):8.1f} {max(times):8.1f}"
    )
    start = time.perf_counter()
    compute_unit_stats(month.key, "league")
    cold = (time.perf_counter() - start) * 1000
    print(f"\nrecomputing last month's league figures (background task): {cold:.0f} ms")
    print(f"measured {timezone.now():%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
