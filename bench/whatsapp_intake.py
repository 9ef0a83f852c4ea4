"""Intake burst (issue 3): 10,000 messages from 2,000 citizens, stored as the webhook stores
them, then processed by one worker into cases with acknowledgements queued.

    .venv/bin/python bench/whatsapp_intake.py [--messages 10000] [--citizens 2000]
        [--postgres URL] [--on-duty] [--json]

`--on-duty` gives the unit a head with a WhatsApp number, so the relay notifies someone of
every new case and follow-up (as in a real regency) instead of finding nobody to tell.

The deliveries are written straight into the table (the webhook's own INSERT, measured by
whatsapp_webhook.py); the clock runs while one `wadul db_worker` process drains them. The
sender has nowhere to send (WHATSAPP_GRAPH_URL points at a closed port): its attempts fail
at once and back off, so what is measured is the processing, acknowledgements queued.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import time

from whatsapp_common import BIN, PNID, ROOT, environment, free_port, machine

TARGET = 150  # messages per second with one worker on SQLite

SETUP = """
import json, sys
from wadul.whatsapp.models import WebhookDelivery
rows = [WebhookDelivery(body=line.rstrip("\\n")) for line in sys.stdin]
WebhookDelivery.objects.bulk_create(rows, batch_size=500)
print(len(rows))
"""

REPORT = """
import json
from django.db.models import Count, Max, Min
from wadul.cases.models import Case, Message
try:
    from wadul.whatsapp.relay.models import HeldFollowUp
except ImportError:  # before issue 15 the relay was its own app
    from wadul.relay.models import HeldFollowUp
from wadul.whatsapp.models import InboundMessage, OutboundMessage, WebhookDelivery
d = WebhookDelivery.objects.aggregate(first=Min("processed_at"), last=Max("processed_at"))
print(json.dumps({
    "states": dict(WebhookDelivery.objects.values_list("state").annotate(Count("id"))),
    "cases": Case.objects.count(),
    "inbound": InboundMessage.objects.count(),
    "messages": Message.objects.filter(direction="inbound").count(),
    "acks": OutboundMessage.objects.filter(purpose="acknowledgement").count(),
    "notices": OutboundMessage.objects.filter(purpose="notice").count(),
    "held": HeldFollowUp.objects.count(),
    "span": (d["last"] - d["first"]).total_seconds() if d["first"] else None,
}))
"""


def payloads(messages: int, citizens: int) -> list[str]:
    rng = random.Random(3)  # noqa: S311 (a fixed seed for a reproducible data set)
    words = "jalan rusak lampu mati sampah banjir air macet pohon tumbang".split()  # noqa: SIM905
    users = [f"62812{n:08d}" for n in range(citizens)]
    order = [users[i % citizens] for i in range(messages)]  # everyone writes in turn
    now = int(time.time())
    bodies = []
    for n, user in enumerate(order):
        text = " ".join(rng.choice(words) for _ in range(8))
        bodies.append(
            json.dumps(
                {
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
                                            {
                                                "profile": {"name": f"Warga {user[-4:]}"},
                                                "wa_id": user,
                                            }
                                        ],
                                        "messages": [
                                            {
                                                "from": user,
                                                "id": f"wamid.BENCH{n:08d}",
                                                "timestamp": str(now),
                                                "type": "text",
                                                "text": {"body": text},
                                            }
                                        ],
                                    },
                                }
                            ],
                        }
                    ],
                }
            )
        )
    return bodies


def shell(env, code: str, stdin: str = "") -> str:
    out = subprocess.run(  # noqa: S603
        [str(BIN / "wadul"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


ON_DUTY = """
from wadul import testing
from wadul.organisation.models import Official, Unit
unit = Unit.objects.get(code="DPU")
head = Official.Role.HEAD
testing.create_official("kepala", unit=unit, role=head, whatsapp_number="6281100000001")
print("ok")
"""


def run(database: str, url: str | None, messages: int, citizens: int, on_duty: bool) -> dict:
    with environment(url) as env:
        env["WHATSAPP_GRAPH_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing listens
        if on_duty:
            shell(env, ON_DUTY)
        stored = shell(env, SETUP, "\n".join(payloads(messages, citizens)) + "\n")
        shell(
            env,
            # (a checkout from before the nudge registry kicks the job itself: A/B runs)
            "try:\n from wadul.whatsapp import nudge; nudge.kick('process_webhooks')\n"
            "except ImportError:\n"
            " from wadul.whatsapp import tasks; tasks.kick(tasks.process_webhooks)",
        )
        started = time.monotonic()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(  # noqa: S603
            [str(BIN / "wadul"), "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = time.monotonic() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        report = json.loads(shell(env, REPORT))
    # The worker's own CPU time (start-up included): on a shared machine it varies far less
    # than the wall-clock rate.
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    report.update(database=database, stored=int(stored), elapsed=elapsed, worker_cpu=cpu)
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--citizens", type=int, default=2_000)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--on-duty", action="store_true", help="a head with WhatsApp on duty")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    results = [run("sqlite", None, args.messages, args.citizens, args.on_duty)]
    if args.postgres:
        results.append(run("postgres", args.postgres, args.messages, args.citizens, args.on_duty))
    print()
    print("| database | messages | citizens | cases | acks queued | worker time | msg/s | target |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        rate = r["inbound"] / r["elapsed"]
        processing = r["inbound"] / r["span"] if r["span"] else 0
        print(
            f"| {r['database']} | {r['inbound']} of {r['stored']} | {args.citizens} | "
            f"{r['cases']} | {r['acks']} | {r['elapsed']:.1f} s | {rate:.0f} | "
            f"≥ {TARGET}/s (one worker, SQLite) |"
        )
        notices = (
            f"; notices to the official on duty: {r['notices']} sent, follow-ups held for "
            f"{r['held']} cases"
            if args.on_duty
            else ""
        )
        print(
            f"|  | first→last delivery processed: {r['span']:.1f} s = {processing:.0f} msg/s; "
            f"worker CPU {1000 * r['worker_cpu'] / r['inbound']:.2f} ms per message; "
            f"delivery states {r['states']}{notices} | | | | | | |"
        )
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
