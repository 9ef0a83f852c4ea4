"""Several hosts on one PostgreSQL: 20,000 signed webhooks across two web hosts (separate var/
directories, no shared disk), three workers SIGKILLed and restarted at random.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wadul_bench \\
        .venv/bin/python bench/whatsapp_multihost.py [--messages 20000] [--numbers 8]

Each message is a distinct citizen's first message to one of the unit numbers (so a new case
and one acknowledgement each). The simulator runs in its own process and posts its webhooks
to the two hosts in turn; the report counts, in the simulator's outbox and in the database,
that every message was processed once and acknowledged once, and gives the time from each
webhook to its acknowledgement being accepted by the simulator's Graph API.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import django
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import whatsapp_common as common  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--numbers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--kill-every", type=float, nargs=2, default=(5.0, 20.0))
    parser.add_argument("--rate", type=float, default=0, help="messages/s (0: as fast as can)")
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL server (postgres://…/any_database)")
    machine = common.machine()
    numbers = [f"1300000000{i:05d}" for i in range(options.numbers)]
    with common.environment(database_url) as env:
        env = {**env, "LOG_LEVEL": "WARNING", "WHATSAPP_RECONCILE_SECONDS": "30"}
        common.manage(
            env,
            "shell",
            "-c",
            "from wadul import testing\n"
            + "".join(
                f"u = testing.create_unit('Kecamatan {i}', code='KEC-{i}')\n"
                f"testing.create_number(u, '{pnid}')\n"
                for i, pnid in enumerate(numbers)
            ),
        )
        os.environ.update(DATABASE_URL=env["DATABASE_URL"], SECRET_KEY=env["SECRET_KEY"])
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wadul.settings")
        django.setup()
        from wadul.whatsapp import multihost

        sim_port = common.free_port()
        with common.simulator(env, sim_port, ""):
            sim_url = f"http://127.0.0.1:{sim_port}"
            web_ports = multihost.free_ports(2, common.free_port)
            with httpx.Client(base_url=sim_url) as client:
                for pnid in numbers:
                    client.post(
                        "/_sim/numbers",
                        json={"phone_number_id": pnid, "display_phone_number": f"+62 811{pnid}"},
                    ).raise_for_status()
                hosts = [f"http://127.0.0.1:{p}/webhooks/whatsapp/" for p in web_ports]
                client.post("/_sim/config", json={"webhook_urls": hosts}).raise_for_status()
            env = {**env, "WHATSAPP_GRAPH_URL": sim_url}
            root = Path(tempfile.mkdtemp(prefix="wadul-multihost-"))
            cluster = multihost.Cluster(
                env=env, root=root, web_ports=web_ports, workers=options.workers
            )
            cluster.start()
            try:
                started = time.monotonic()
                with multihost.chaos(cluster, every=tuple(options.kill_every)):
                    posted = multihost.drive(
                        sim_url, numbers, options.messages, threads=16, rate=options.rate
                    )
                    posting = time.monotonic() - started
                    multihost.wait_for_acknowledgements(sim_url, options.messages, timeout=3600)
                report = multihost.check(sim_url, posted, kills=cluster.kills)
            finally:
                cluster.stop()
    print(f"machine: {machine}")
    print(
        f"messages {report.messages}, numbers {options.numbers}, hosts 2, workers {options.workers}"
    )
    print(f"webhooks posted in {posting:.1f} s ({report.messages / posting:.0f}/s)")
    print(f"workers killed (SIGKILL) and restarted: {report.kills}")
    print(f"webhook deliveries stored: {report.stored} (messages and statuses)")
    print(f"processed: {report.processed} inbound messages, {report.cases} cases")
    print(
        f"acknowledged: {report.acknowledged_sim} in the simulator, {report.acknowledged_db} in DB"
    )
    print(f"lost: {report.lost}, duplicates: {report.duplicates}")
    print(f"throughput, first webhook to last acknowledgement: {report.throughput:.1f} msg/s")
    for p in (0.5, 0.9, 0.99):
        print(f"webhook → acknowledgement accepted, p{int(p * 100)}: {report.percentile(p):.2f} s")


if __name__ == "__main__":
    main()
