"""Webhook variants side by side: every variant's granian server is up at once (an idle one
costs nothing) and short wrk runs alternate among them, the no-op view then the webhook on
each, round after round. Run on its own, a variant moved by ±20 % from minute to minute on
this machine; alternating is what makes a 5 % difference visible.

A variant is a comma-separated list of environment settings for its server, e.g.

    .venv/bin/python bench/whatsapp_webhook_ab.py --postgres \\
        "WHATSAPP_WEBHOOK_GROUP_COMMIT=1" "WHATSAPP_WEBHOOK_GROUP_COMMIT=0" \\
        "PYTHONPATH=/tmp/other-checkout:bench"

(PYTHONPATH first naming another checkout runs that checkout's `wadul`: a before/after.) Each
variant has its own fresh database, migrated by its own code. `--json` also prints every
round's figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import urllib.request

from whatsapp_common import ROOT, app, environment, free_port, machine
from whatsapp_webhook import body, wrk


def parse_variant(text: str) -> dict[str, str]:
    settings = dict(item.split("=", 1) for item in text.split(",") if item)
    if "PYTHONPATH" in settings:
        settings["PYTHONPATH"] = ":".join(
            str(ROOT / part) if part == "bench" else part
            for part in settings["PYTHONPATH"].split(":")
        )
    return settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="postgres://postgres@127.0.0.1:5432/postgres",
        help="run on PostgreSQL (default: SQLite)",
    )
    parser.add_argument("--json", action="store_true", help="also print every round as JSON")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"{args.rounds} rounds of wrk -t1 -c{args.connections} -d{args.seconds}s per view")
    payload = body()
    results: dict[str, list[tuple[float, float, float]]] = {v: [] for v in args.variants}
    with contextlib.ExitStack() as servers:
        ports = {}
        for variant in args.variants:
            env = servers.enter_context(environment(args.postgres, parse_variant(variant)))
            ports[variant] = free_port()
            servers.enter_context(app(env, ports[variant]))
            where = urllib.request.urlopen(f"http://127.0.0.1:{ports[variant]}/bench/where/")  # noqa: S310
            print(f"`{variant}` serves the checkout {where.read().decode()}", flush=True)
        for port in ports.values():  # warm-up
            for path in ("bench/noop/", "webhooks/whatsapp/"):
                wrk(f"http://127.0.0.1:{port}/{path}", payload, 1, args.connections, 1)
        for round_number in range(args.rounds):
            order = list(ports.items())
            if round_number % 2:
                order.reverse()
            for variant, port in order:
                base = f"http://127.0.0.1:{port}"
                noop = wrk(f"{base}/bench/noop/", payload, args.seconds, args.connections, 1)
                hook = wrk(f"{base}/webhooks/whatsapp/", payload, args.seconds, args.connections, 1)
                results[variant].append((hook["rps"], noop["rps"], hook["p99_ms"]))
    print()
    print("| variant | webhook/s median (min–max) | no-op/s | × no-op (min–max) | webhook p99 |")
    print("|---|---|---|---|---|")
    for variant, rows in results.items():
        hook = [r[0] for r in rows]
        noop = statistics.median(r[1] for r in rows)
        ratio = [r[0] / r[1] for r in rows]
        p99 = statistics.median(r[2] for r in rows)
        print(
            f"| `{variant}` | {statistics.median(hook):.0f} ({min(hook):.0f}–{max(hook):.0f}) | "
            f"{noop:.0f} | {statistics.median(ratio):.2f} ({min(ratio):.2f}–{max(ratio):.2f}) | "
            f"{p99:.1f} ms |"
        )
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
