"""Where an intake message's work goes: SQL statements and CPU per message, by kind of statement.

    .venv/bin/python bench/intake_statements.py [--messages 2000] [--citizens 400] [--json]
        [--postgres URL] [--profile FILE]
    PYTHONPATH=/path/to/other-checkout .venv/bin/python bench/intake_statements.py ...

The same messages as whatsapp_intake.py (every citizen writes in turn, so one in five opens a
case), processed in one process by the webhook processor's own `process_batch`, with a
`connection.execute_wrapper` counting each statement by its first words and table. Counts do
not depend on the machine's load; the CPU time does (it is `time.process_time`). The wall time
beside it is what the process waited for too: on PostgreSQL, mostly the round trips and the
commits' WAL flushes (the database server's own CPU is not in the process's CPU time).
"""

from __future__ import annotations

import argparse
import json
import subprocess

from whatsapp_common import BIN, ROOT, environment, machine
from whatsapp_intake import payloads

PROFILE = """
import collections, json, re, sys, time
from django.db import connection
from wadul.whatsapp.models import WebhookDelivery
try:
    from wadul.whatsapp.webhook import processor
except ImportError:  # before issue 15
    from wadul.whatsapp import processor
rows = [WebhookDelivery(body=line.rstrip("\\n")) for line in sys.stdin]
WebhookDelivery.objects.bulk_create(rows, batch_size=500)
counts = collections.Counter()
def count(execute, sql, params, many, context):
    words = re.match(r"\\s*(\\w+)", sql).group(1).upper()
    table = re.search(r'(?:FROM|INTO|UPDATE)\\s+"?(\\w+)"?', sql)
    counts[f"{words} {table.group(1) if table else ''}".strip()] += 1
    return execute(sql, params, many, context)
import cProfile, os
profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
started, wall = time.process_time(), time.perf_counter()
with connection.execute_wrapper(count):
    if profile:
        profile.enable()
    while processor.process_batch():
        pass
    if profile:
        profile.disable()
        profile.dump_stats(os.environ["BENCH_PROFILE"])
cpu, wall = time.process_time() - started, time.perf_counter() - wall
print(json.dumps({"messages": len(rows), "cpu": cpu, "wall": wall, "counts": dict(counts)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--citizens", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument("--profile", help="write cProfile stats of the processing here")
    args = parser.parse_args()
    with environment(args.postgres or None) as env:
        if args.profile:
            env["BENCH_PROFILE"] = args.profile
        env["WHATSAPP_GRAPH_URL"] = "http://127.0.0.1:9"  # nothing is sent here
        out = subprocess.run(  # noqa: S603
            [str(BIN / "wadul"), "shell", "-c", PROFILE],
            env=env,
            cwd=ROOT / "bench",  # so that PYTHONPATH, not this checkout, names `wadul`
            input="\n".join(payloads(args.messages, args.citizens)) + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    n = result["messages"]
    print(f"machine: {machine()}")
    print(f"{n} messages: CPU {1000 * result['cpu'] / n:.2f} ms per message", end="")
    print(f", wall {1000 * result['wall'] / n:.2f} ms ({n / result['wall']:.0f} msg/s)")
    total = sum(result["counts"].values())
    print(f"statements per message: {total / n:.1f}")
    for name, c in sorted(result["counts"].items(), key=lambda kv: -kv[1]):
        print(f"  {c / n:6.2f}  {name}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
