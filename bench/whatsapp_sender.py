"""The sender's achieved rate against the simulator's limit (issue 3): target ≥ 95 % of the
80 msg/s per number, with zero 130429 (throughput) and zero 131056 (pair rate) refusals.

    .venv/bin/python bench/whatsapp_sender.py [--messages 1600] [--recipients 400]
        [--single-worker] [--postgres URL] [--json]

Queues N template messages (no 24-hour window needed) to `--recipients` citizens (several per
recipient, so the pair rate is exercised too), starts the simulator (its own process, like
`make run`) and the app (to take the status webhooks), then the workers `make run` starts:
`wadul db_worker` (processes the status webhooks) and `wadul db_worker --queue-name outbox`
(sends); `--single-worker` runs one `--queue-name '*'` worker for both instead. The rate is the
simulator's own count: accepted / (last accept − first accept).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time

import httpx
from whatsapp_common import BIN, PNID, ROOT, app, environment, free_port, machine, simulator
from whatsapp_intake import shell

QUEUE = """
import sys
from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp.models import OutboundMessage
number = WhatsAppNumber.objects.get(phone_number_id="{pnid}")
n, recipients = {messages}, {recipients}
OutboundMessage.objects.bulk_create([
    OutboundMessage(
        number=number, recipient=f"62813{{i % recipients:08d}}", purpose="status_update",
        kind="template",
        content={{"text": "x", "template_params": [f"K7PM-{{i:04d}}", "ditugaskan"]}},
    )
    for i in range(n)
], batch_size=500)
print(n)
"""

COUNT = """
from django.db.models import Count
from wadul.whatsapp.models import OutboundMessage
print(dict(OutboundMessage.objects.values_list("state").annotate(Count("id"))))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1600)
    parser.add_argument("--recipients", type=int, default=400)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--single-worker", action="store_true", help="one worker for both queues")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with environment(args.postgres or None) as env:
        app_port, sim_port = free_port(), None
        with app(env, app_port, threads=8):
            sim_port = free_port()
            hook = f"http://127.0.0.1:{app_port}/webhooks/whatsapp/"
            with simulator(env, sim_port, hook):
                control = httpx.Client(base_url=f"http://127.0.0.1:{sim_port}", timeout=30)
                control.post(
                    "/_sim/numbers",
                    json={"phone_number_id": PNID, "display_phone_number": "+62 811-3500-201"},
                ).raise_for_status()
                env["WHATSAPP_GRAPH_URL"] = f"http://127.0.0.1:{sim_port}"
                shell(
                    env,
                    QUEUE.format(pnid=PNID, messages=args.messages, recipients=args.recipients),
                )
                shell(env, "from wadul.whatsapp import nudge; nudge.kick('send_outbox')")
                started = time.monotonic()
                worker = [str(BIN / "wadul"), "db_worker", "--no-reload", "--interval", "0.05"]
                queues = (
                    [["--queue-name", "*"]]
                    if args.single_worker
                    else [
                        ["--queue-name", "default"],
                        ["--queue-name", "outbox"],
                    ]
                )
                workers = [
                    subprocess.Popen(  # noqa: S603
                        [*worker, *queue],
                        env=env,
                        cwd=ROOT,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    for queue in queues
                ]
                try:
                    deadline = time.monotonic() + args.messages / 40 + 60
                    while time.monotonic() < deadline:
                        stats = control.get("/_sim/stats").json()["numbers"][PNID]
                        refused = sum(stats["rejected"].values())
                        if stats["accepted"] + refused >= args.messages:
                            break
                        time.sleep(0.5)
                    elapsed = time.monotonic() - started
                finally:
                    for worker in workers:
                        worker.terminate()
                    for worker in workers:
                        worker.wait(timeout=30)
                stats = control.get("/_sim/stats").json()["numbers"][PNID]
                limit = control.get("/_sim/numbers").json()["numbers"][0]["effective_throughput"]
            states = shell(env, COUNT)
    rate = stats["achieved_rate"] or 0
    print()
    print("| measured | result | target |")
    print("|---|---|---|")
    print(f"| messages accepted by the simulator | {stats['accepted']} of {args.messages} | all |")
    print(
        f"| achieved rate (simulator: accepted / first→last accept) | {rate:.1f} msg/s "
        f"= {rate / limit:.1%} of {limit} | ≥ 95 % of {limit} msg/s |"
    )
    print(f"| peak in any sliding second | {stats['peak_rate']} | ≤ {limit} |")
    print(f"| 130429 refusals (throughput) | {stats['rejected'].get('130429', 0)} | 0 |")
    print(f"| 131056 refusals (pair rate) | {stats['rejected'].get('131056', 0)} | 0 |")
    print(f"| wall time incl. worker start | {elapsed:.1f} s ({len(queues)} worker(s)) | |")
    print(f"| outbox states | {states} | |")
    print(f"| recipients | {args.recipients} ({args.messages // args.recipients} each) | |")
    print(json.dumps(stats["rejected"]))
    if args.json:
        print(json.dumps({**stats, "limit": limit, "elapsed": elapsed, "states": states}))


if __name__ == "__main__":
    main()
