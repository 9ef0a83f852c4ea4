"""Village letters: the PDF render and the public verification page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wadul_bench_desa \\
        .venv/bin/python bench/desa.py [--letters 1000000] [--runs 200] [--reuse]

Creates the database afresh (dropped first), one desa with the standard catalogue, and
`--letters` signed letters (each with its case, inserted in batches with the ORM's
bulk_create; fixed seed). Then measures, in-process:

- the letter PDF render (`desa.services.render_pdf`: letterhead, body, QR) — target ≤ 300 ms;
- `/verifikasi/<code>/` through Django's test client (routing, middleware, view, query,
  template: the server's whole time, no network) on random existing codes — target ≤ 20 ms
  p95.

Without DATABASE_URL it runs on a throw-away SQLite file (a smoke run, not the issue's figure).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PDF_TARGET_MS = 300.0
VERIFY_TARGET_MS = 20.0
BATCH = 5000


def setup_django(database_url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("WADUL_VAR_DIR", tempfile.mkdtemp(prefix="bench-desa-"))
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def fresh_postgres(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(letters: int) -> list[str]:
    """The desa, its catalogue and `letters` signed letters; returns their codes."""
    from django.utils import timezone

    from wadul.cases.models import Case
    from wadul.desa import catalogue
    from wadul.desa.models import Letter, Service
    from wadul.organisation.models import Unit

    rng = random.Random(3510)
    desa = Unit.objects.create(code="DS-KEMIREN", name="Desa Kemiren", kind="desa")
    catalogue.install(desa)
    service = Service.objects.get(unit=desa, code="domisili")
    now = timezone.now()
    codes = []
    for start in range(0, letters, BATCH):
        count = min(BATCH, letters - start)
        cases = Case.objects.bulk_create(
            Case(
                tracking_number=f"{(start + i) // 10000:04d}-{(start + i) % 10000:04d}",
                type="village_letter",
                channel="web",
                unit=desa,
                status="resolved",
                subject="Surat domisili",
                created_at=now,
                updated_at=now,
            )
            for i in range(count)
        )
        batch = [
            Letter(
                case=case,
                service=service,
                unit=desa,
                state=Letter.State.SIGNED,
                body="Isi surat",
                sign_code=f"{start + i:06X}"[-8:],
                number=f"474/{start + i + 1:03d}/429.515.2004/2026",
                seq=start + i + 1,
                year=2026,
                signer_name="Slamet Riyadi",
                signer_position="Kepala Desa Kemiren",
                issued_at=now,
                verification_code=f"{rng.getrandbits(128):032x}"[:22],
                masked_name="S*** R*****",
                sha256="0" * 64,
            )
            for i, case in enumerate(cases)
        ]
        Letter.objects.bulk_create(batch)
        codes.extend(letter.verification_code for letter in batch)
    return codes


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the letters an earlier run built (PostgreSQL): build once, measure again",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        if not args.reuse:
            fresh_postgres(database_url)
    else:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-desa-')}/bench.sqlite3"
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from wadul.desa import services
    from wadul.desa.models import Letter, LetterOffice

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if args.reuse:
        codes = list(Letter.objects.values_list("verification_code", flat=True))
    else:
        codes = build(args.letters)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql" and not args.reuse:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    letter = Letter.objects.select_related("service", "case", "unit").first()
    office = LetterOffice.objects.get(unit=letter.unit)
    pdf_ms = []
    for _ in range(max(10, args.runs // 10)):
        t = time.perf_counter()
        services.render_pdf(letter, office)
        pdf_ms.append((time.perf_counter() - t) * 1000)

    client = Client()
    rng = random.Random(1)
    client.get(f"/verifikasi/{codes[0]}/")  # warm: templates, URL resolver
    verify_ms = []
    for _ in range(args.runs):
        code = rng.choice(codes)
        t = time.perf_counter()
        response = client.get(f"/verifikasi/{code}/")
        verify_ms.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code

    how = "read" if args.reuse else "built"
    print(f"database: {connection.vendor}, letters: {len(codes):,} ({how} in {built:.1f} s)")
    print(f"{'measured':<32}{'p50 ms':>10}{'p95 ms':>10}{'target ms':>12}")
    for name, values, target in (
        ("letter PDF render", pdf_ms, PDF_TARGET_MS),
        ("/verifikasi/<code>/ server time", verify_ms, VERIFY_TARGET_MS),
    ):
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"{name:<32}{p50:>10.1f}{p95:>10.1f}{target:>12.0f}")


if __name__ == "__main__":
    main()
