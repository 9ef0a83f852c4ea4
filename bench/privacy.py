#!/usr/bin/env python
"""Personal data (issue 20): what the access log adds to the inbox, and retention_run at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/privacy.py [--cases 1000000] [--requests 200]
        [--due-cases 10000] [--payloads 100000] [--database wadul_bench_privacy] [--only-log]

Uses `bench/inbox_p95.py`'s database (the Banyuwangi demo plus --cases generated cases, kept
between runs). Part 1: the case page of a staff official, in-process through Django's test
client, in alternating blocks with the access log on and off (the same run, the same cases,
the same machine load): p50/p95 of each and the difference (target: ≤ 5 % at p95); then the
log write alone, timed in the same process on the same database (a p95 of 200 page requests
moves by more than the write costs, so the write's own time says what the log adds). Part 2:
--due-cases closed cases are made six years old and --payloads processed webhook payloads
40 days old, then `retention_run` runs while another process keeps opening case pages: the
run's time and rate, and the case page's p95/max during it (a lock the inbox waited on would
show there).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
import inbox_p95  # noqa: E402  (the bench database and its generator)

BLOCK = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per side")
    parser.add_argument("--due-cases", type=int, default=10_000)
    parser.add_argument("--payloads", type=int, default=100_000)
    parser.add_argument("--database", default="wadul_bench_privacy")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--only-log", action="store_true", help="measure the access log only (no retention run)"
    )
    parser.add_argument("--reader", help=argparse.SUPPRESS)  # internal: the inbox process
    return parser.parse_args()


def case_urls(username: str, count: int) -> list[str]:
    from wadul.cases import access
    from wadul.organisation.models import Official

    official = Official.objects.get(username=username)
    visible = access.visible_cases(official)
    numbers = list(visible.order_by("?").values_list("tracking_number", flat=True)[:count])
    return [f"/inbox/kasus/{number}/" for number in numbers]


def logged_in(username: str):
    from django.test import Client

    from wadul.organisation.models import Official

    client = Client()
    client.force_login(Official.objects.get(username=username))
    return client


def access_log_overhead(requests: int) -> dict[str, dict[str, float]]:
    from wadul.privacy import services

    real = services.log_access
    client = logged_in("pu.jalan")
    urls = case_urls("pu.jalan", requests)
    for url in urls[:10]:
        client.get(url)
    samples: dict[str, list[float]] = {"with access log": [], "without access log": []}
    for block in range(2 * requests // BLOCK):
        # Each pair of blocks opens the same cases; the first of the two reads them cold, so
        # which side goes first flips from pair to pair.
        logged = (block % 2 == 0) != (block // 2 % 2 == 1)
        label = "with access log" if logged else "without access log"
        services.log_access = real if logged else (lambda *args, **kwargs: None)
        for index in range(BLOCK):
            url = urls[(block // 2 * BLOCK + index) % len(urls)]
            started = time.perf_counter()
            response = client.get(url)
            samples[label].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    services.log_access = real
    return {
        label: {
            "p50": statistics.median(values),
            "p95": inbox_p95.percentile(values, 0.95),
            "n": len(values),
        }
        for label, values in samples.items()
    }


def log_write_cost(calls: int) -> dict[str, float]:
    """The log write alone, in this process against the same database: what each page with
    the log pays on top (the page difference above is the same cost seen through the noise of
    whole page requests)."""
    from wadul.cases import access
    from wadul.organisation.models import Official
    from wadul.privacy import services

    official = Official.objects.get(username="pu.jalan")
    cases = list(access.visible_cases(official).order_by("?")[:calls])
    timings = []
    for case in cases:
        started = time.perf_counter()
        services.log_access(official, case, "case_page", "bench")
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50": statistics.median(timings),
        "p95": inbox_p95.percentile(timings, 0.95),
        "mean": statistics.mean(timings),
        "n": len(timings),
    }


PREPARE = """
UPDATE cases_case SET status = 'closed', closed_at = now() - interval '6 years'
 WHERE id IN (SELECT id FROM cases_case WHERE status IN ('closed', 'resolved')
              AND id NOT IN (SELECT case_id FROM privacy_erasure WHERE case_id IS NOT NULL)
              ORDER BY id LIMIT %(due)s);
INSERT INTO whatsapp_webhookdelivery (received_at, body, state, unknown_number,
                                      phone_number_ids, notes, attempts, processed_at)
SELECT now() - interval '40 days', '{"from": "628123"}', 'processed', false, '', '', 1,
       now() - interval '40 days'
  FROM generate_series(1, %(payloads)s);
"""


def reader(out_path: str) -> None:
    """Another process, like a web worker: opens case pages until told to stop, then writes
    its latencies (one per line) to out_path."""
    client = logged_in("pu.jalan")
    urls = case_urls("pu.jalan", 200)
    stop = Path(out_path + ".stop")
    latencies = []
    index = 0
    while not stop.exists():
        at, started = time.time(), time.perf_counter()
        client.get(urls[index % len(urls)])
        latencies.append((at, (time.perf_counter() - started) * 1000))
        index += 1
    Path(out_path).write_text("\n".join(f"{at:.3f} {ms:.3f}" for at, ms in latencies))


def retention_at_scale(due: int, payloads: int, database: str) -> dict:
    import subprocess
    import tempfile

    from django.db import connection

    from wadul.core import retention

    with connection.cursor() as cursor:
        cursor.execute(PREPARE % {"due": int(due), "payloads": int(payloads)})
    out = str(Path(tempfile.mkdtemp(prefix="wadul-bench-privacy-")) / "latencies")
    inbox = subprocess.Popen(  # noqa: S603 (this very script, with our own arguments)
        [sys.executable, __file__, "--database", database, "--reader", out],
        env=os.environ.copy(),
    )
    time.sleep(15)  # the reader sets Django up, then measures the quiet inbox: the baseline
    began, started = time.time(), time.perf_counter()
    results = retention.run(batch_size=500)
    seconds, ended = time.perf_counter() - started, time.time()
    Path(out + ".stop").touch()
    inbox.wait(timeout=120)
    rows = [line.split() for line in Path(out).read_text().splitlines()]
    before = [float(ms) for at, ms in rows if float(at) < began]
    latencies = [float(ms) for at, ms in rows if began <= float(at) <= ended]
    done = sum(results.values())
    return {
        "seconds": seconds,
        "records": done,
        "per_second": done / seconds if seconds else 0.0,
        "results": results,
        "inbox_before_p95": inbox_p95.percentile(before, 0.95) if before else 0.0,
        "inbox_before_requests": len(before),
        "inbox_requests": len(latencies),
        "inbox_p95": inbox_p95.percentile(latencies, 0.95) if latencies else 0.0,
        "inbox_max": max(latencies) if latencies else 0.0,
    }


def main() -> None:
    args = parse_args()
    inbox_p95.BENCH_DB = args.database
    server_url, bench_url = inbox_p95.database_urls()
    if args.reader:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
        import django

        django.setup()
        return reader(args.reader)
    inbox_p95.ensure_database(server_url, args.regenerate)
    inbox_p95.setup_django(bench_url)
    inbox_p95.generate(args.cases)
    from wadul.cases.models import Case

    print(f"Cases in the database: {Case.objects.count():,}")
    print(f"Machine: {inbox_p95.machine()}\n")
    overhead = access_log_overhead(args.requests)
    print("| case page (staff) | requests | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for label, row in overhead.items():
        print(f"| {label} | {row['n']} | {row['p50']:.1f} | {row['p95']:.1f} |")
    on, off = overhead["with access log"]["p95"], overhead["without access log"]["p95"]
    added = (on - off) / off * 100 if off else 0.0
    print(f"\nAccess log adds {added:+.1f} % at p95, page against page (target ≤ 5 %).")
    write = log_write_cost(args.requests)
    print(
        f"The log write alone ({write['n']} writes): p50 {write['p50']:.2f} ms, "
        f"p95 {write['p95']:.2f} ms, mean {write['mean']:.2f} ms = "
        f"{write['mean'] / off * 100:.1f} % of the page's p95 without the log "
        f"({write['p95'] / off * 100:.1f} % at the write's own p95).\n"
    )
    if args.only_log:
        return

    run = retention_at_scale(args.due_cases, args.payloads, args.database)
    print(
        f"retention_run: {run['records']:,} records in {run['seconds']:.1f} s "
        f"({run['per_second']:.0f}/s): {run['results']}"
    )
    print(
        f"Case page before the run: {run['inbox_before_requests']} requests, "
        f"p95 {run['inbox_before_p95']:.1f} ms"
    )
    print(
        f"Case page during the run: {run['inbox_requests']} requests, "
        f"p95 {run['inbox_p95']:.1f} ms, max {run['inbox_max']:.1f} ms"
    )


if __name__ == "__main__":
    main()
