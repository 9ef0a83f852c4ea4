"""Webhook throughput and latency, SQLite and PostgreSQL, next to a no-op view on the same
granian server (issue 3), and next to the no-op view plus one O_DSYNC append of the body: what
any webhook that syncs each delivery before its 200 cannot beat here. Load: wrk,
single-message signed webhooks (one fixed body: the view stores every POST; it does not
dedupe, the worker does).

    .venv/bin/python bench/whatsapp_webhook.py [--seconds 10] [--connections 16]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--workers 1]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

from whatsapp_common import APP_SECRET, PNID, app, environment, free_port, machine

TARGETS = {"sqlite": 2000, "postgres": 1500}


def body() -> bytes:
    now = int(time.time())
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6281135000201",
                                "phone_number_id": PNID,
                            },
                            "contacts": [
                                {"profile": {"name": "Siti Rahayu"}, "wa_id": "6281234567890"}
                            ],
                            "messages": [
                                {
                                    "from": "6281234567890",
                                    "id": "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBQjE",
                                    "timestamp": str(now),
                                    "type": "text",
                                    "text": {"body": "Jalan di depan SD Kemiren berlubang parah"},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode()


def wrk(url: str, payload: bytes, seconds: int, connections: int, threads: int) -> dict:
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), payload, hashlib.sha256).hexdigest()
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(payload.decode())}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["X-Hub-Signature-256"] = "{signature}"\n'
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("STATS %d %d %d %d %d\\n", summary.requests, '
        "summary.errors.status + summary.errors.connect + summary.errors.read + "
        "summary.errors.write + summary.errors.timeout, latency:percentile(50), "
        "latency:percentile(99), summary.duration))\n"
        "end\n"
    )
    out = subprocess.run(  # noqa: S603
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script.unlink()
    requests, errors, p50, p99, duration = map(int, re.search(r"STATS (.*)", out).group(1).split())
    return {
        "rps": requests / (duration / 1e6),
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "errors": errors,
        "requests": requests,
    }


def run(database: str, database_url: str | None, args) -> dict:
    with environment(database_url) as env:
        port = free_port()
        with app(env, port, workers=args.workers, threads=args.threads):
            base = f"http://127.0.0.1:{port}"
            payload = body()
            paths = {
                "noop": "bench/noop/",
                "synced": "bench/noop-synced/",
                "webhook": "webhooks/whatsapp/",
            }
            for url_path in paths.values():  # warm-up
                wrk(f"{base}/{url_path}", payload, 2, args.connections, args.wrk_threads)
            measured = {
                name: wrk(
                    f"{base}/{url_path}", payload, args.seconds, args.connections, args.wrk_threads
                )
                for name, url_path in paths.items()
            }
        stored = subprocess.run(  # noqa: S603
            [
                str(Path(__file__).resolve().parent.parent / ".venv/bin/wadul"),
                "shell",
                "-c",
                "from wadul.whatsapp.models import WebhookDelivery as D; print(D.objects.count())",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    return {
        "database": database,
        # The table is the only store: a delivery is as durable as the database's commit.
        "durability": "commit flushed" if database == "postgres" else "synchronous=NORMAL",
        **measured,
        "stored": int(stored.splitlines()[-1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="granian worker processes")
    parser.add_argument("--threads", type=int, default=8, help="granian blocking threads")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(
        f"granian: {args.workers} worker(s) × {args.threads} threads; wrk -t{args.wrk_threads} "
        f"-c{args.connections} -d{args.seconds}s"
    )
    results = []
    for database, url in (("sqlite", None), ("postgres", args.postgres)):
        if args.only and args.only != database:
            continue
        results.append(run(database, url, args))
    print()
    print("| database | view | requests/s | p50 | p99 | errors | target |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        n, s, w = r["noop"], r["synced"], r["webhook"]
        ratio = w["rps"] / n["rps"]
        print(
            f"| {r['database']} | no-op view | {n['rps']:.0f} | {n['p50_ms']:.1f} ms | "
            f"{n['p99_ms']:.1f} ms | {n['errors']} | same-run baseline |"
        )
        print(
            f"| {r['database']} | no-op view + one O_DSYNC append | {s['rps']:.0f} | "
            f"{s['p50_ms']:.1f} ms | {s['p99_ms']:.1f} ms | {s['errors']} | floor of a synced "
            f"webhook ({s['rps'] / n['rps']:.2f} ×) |"
        )
        print(
            f"| {r['database']} | webhook ({r['durability']}) | {w['rps']:.0f} | "
            f"{w['p50_ms']:.1f} ms | "
            f"{w['p99_ms']:.1f} ms | {w['errors']} | ≥ {TARGETS[r['database']]}/s, p99 ≤ 50 ms, "
            f"≥ 0.6 × no-op (here {ratio:.2f} ×) |"
        )
        print(f"|  | stored deliveries | {r['stored']} (of {w['requests']} + warm-up) | | | | |")


if __name__ == "__main__":
    main()
