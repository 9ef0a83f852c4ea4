"""Several hosts on one PostgreSQL, for the test and the benchmark that prove it works.

Web hosts (granian, each with its own `var/` directory: they share no disk) store webhooks
straight into `WebhookDelivery` (the only webhook storage); workers (`db_worker` on every
queue) and the scheduler share nothing but the database. `Cluster` starts them as the
systemd units would, kills workers with SIGKILL and restarts them; `drive` makes distinct
citizens write through the simulator (which spreads its webhooks over the hosts, as a load
balancer would); `check` counts, in the simulator's outbox and in the database, that every
message was processed once and acknowledged once, and measures the time from each webhook
to its acknowledgement being accepted by the simulator's Graph API.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from wadul.cases.models import Case
from wadul.core.net import wait_for_port
from wadul.whatsapp.models import InboundMessage, OutboundMessage, WebhookDelivery

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent.parent
ACK = OutboundMessage.Purpose.ACKNOWLEDGEMENT
DONE_STATES = (
    OutboundMessage.State.SENT,
    OutboundMessage.State.DELIVERED,
    OutboundMessage.State.READ,
)


def free_ports(count: int, pick) -> list[int]:
    """`count` different free ports from `pick()` (which returns the first free one): each
    is held bound while the next is picked."""
    held: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", pick()))
            held.append(sock)
        return [sock.getsockname()[1] for sock in held]
    finally:
        for sock in held:
            sock.close()


@dataclass
class Cluster:
    """Web hosts on `web_ports`, `workers` task workers and one scheduler, as processes."""

    env: dict[str, str]
    root: Path
    web_ports: list[int]
    workers: int = 3
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    kills: int = 0

    def _start(self, name: str, argv: list[str]) -> None:
        var = self.root / name  # each process its own var/: no shared disk
        var.mkdir(parents=True, exist_ok=True)
        env = {**self.env, "WADUL_VAR_DIR": str(var)}
        log = (self.root / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            argv, env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
        )
        log.close()

    def start(self) -> None:
        wadul = [sys.executable, "-m", "wadul"]
        for index, port in enumerate(self.web_ports):
            argv = [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1"]
            argv += ["--port", str(port), "--workers", "1", "--blocking-threads", "8"]
            argv += ["--no-ws", "--log-level", "warning", "wadul.wsgi:application"]
            self._start(f"web{index}", argv)
        for index in range(self.workers):
            self._start(f"worker{index}", self._worker_argv())
        self._start("scheduler", [*wadul, "sla_scheduler", "--interval", "5"])
        for port in self.web_ports:
            wait_for_port(port)

    @staticmethod
    def _worker_argv() -> list[str]:
        return [sys.executable, "-m", "wadul", "db_worker", "--queue-name", "*", "--no-reload"]

    def kill_worker(self, index: int) -> None:
        """SIGKILL a worker (its whole process group) and start it again."""
        name = f"worker{index}"
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()
        self.kills += 1
        self._start(name, self._worker_argv())

    def stop(self) -> None:
        for child in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        for child in self.processes.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()


@contextlib.contextmanager
def chaos(cluster: Cluster, *, every: tuple[float, float], seed: int = 21):
    """Kill a random worker every `every` seconds (uniform) while the block runs."""
    stopping = threading.Event()
    rng = random.Random(seed)

    def run() -> None:
        while not stopping.wait(rng.uniform(*every)):
            cluster.kill_worker(rng.randrange(cluster.workers))

    thread = threading.Thread(target=run, name="chaos", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join()


def citizen(index: int) -> str:
    return f"62857{index:08d}"


def drive(
    sim_url: str, numbers: list[str], count: int, *, threads: int = 16, rate: float = 0
) -> dict[str, float]:
    """`count` citizens write once each to one of `numbers`; returns when each wrote
    (time.time()), by wa_id. `rate` > 0 paces the writes (messages per second)."""
    posted: dict[str, float] = {}
    started = time.monotonic()
    with httpx.Client(base_url=sim_url, timeout=60) as client:

        def write(index: int) -> None:
            if rate:
                time.sleep(max(0.0, started + index / rate - time.monotonic()))
            user = citizen(index)
            posted[user] = time.time()
            answer = client.post(
                "/_sim/inbound",
                json={
                    "phone_number_id": numbers[index % len(numbers)],
                    "from": user,
                    "name": f"Warga {index}",
                    "type": "text",
                    "text": f"Lampu jalan mati di gang {index}",
                },
            )
            answer.raise_for_status()  # a host's 503 is retried by the simulator itself

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(write, range(count)))
    return posted


def accepted(sim_url: str) -> int:
    with httpx.Client(base_url=sim_url, timeout=60) as client:
        numbers = client.get("/_sim/stats").json()["numbers"]
    return sum(n["accepted"] for n in numbers.values())


@dataclass
class Report:
    messages: int
    stored: int  # webhook deliveries the hosts stored (messages and statuses)
    processed: int  # inbound messages recorded
    cases: int
    acknowledged_db: int
    acknowledged_sim: int
    lost: int
    duplicates: int
    latencies: list[float]
    seconds: float
    kills: int

    @property
    def throughput(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


def wait_for_acknowledgements(sim_url: str, count: int, *, timeout: float) -> None:
    """Until the simulator accepted `count` messages (or `timeout` seconds passed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and accepted(sim_url) < count:
        time.sleep(1)


def wait_for_recorded_acknowledgements(count: int, *, timeout: float) -> None:
    """Until the database records `count` contacts' acknowledgements as sent (or `timeout`
    seconds passed). A sender killed between WhatsApp's answer and its own commit leaves its
    row `sending`; the next sender reconciles it after WHATSAPP_RECONCILE_SECONDS, once the
    scheduler's nudge starts one — up to a minute after the simulator already has it."""
    deadline = time.monotonic() + timeout
    acks = OutboundMessage.objects.filter(purpose=ACK, state__in=DONE_STATES)
    while time.monotonic() < deadline and acks.values("recipient").distinct().count() < count:
        time.sleep(1)


def check(sim_url: str, posted: dict[str, float], *, kills: int = 0) -> Report:
    """Count what the simulator accepted and what the database holds."""
    time.sleep(2)  # a duplicate would come now
    with httpx.Client(base_url=sim_url, timeout=120) as client:
        outbox = client.get("/_sim/outbox").json()["messages"]
    sent = [m for m in outbox if m["status"] != "failed" and m["user"] in posted]
    per_user = Counter(m["user"] for m in sent)
    first: dict[str, dict[str, Any]] = {}
    for message in sorted(sent, key=lambda m: m["accepted_at"]):
        first.setdefault(message["user"], message)
    latencies = [first[u]["accepted_at"] - posted[u] for u in first]
    acks = OutboundMessage.objects.filter(purpose=ACK)
    db_per_contact = Counter(acks.filter(state__in=DONE_STATES).values_list("recipient", flat=True))
    duplicates = sum(n - 1 for n in per_user.values() if n > 1)
    duplicates += sum(n - 1 for n in db_per_contact.values() if n > 1)
    wamids = list(InboundMessage.objects.values_list("wamid", flat=True))
    duplicates += len(wamids) - len(set(wamids))
    end = max((m["accepted_at"] for m in first.values()), default=time.time())
    return Report(
        messages=len(posted),
        stored=WebhookDelivery.objects.count(),
        processed=len(wamids),
        cases=Case.objects.count(),
        acknowledged_db=len(db_per_contact),
        acknowledged_sim=len(per_user),
        lost=len(posted) - len(first),
        duplicates=duplicates,
        latencies=latencies,
        seconds=end - min(posted.values()),
        kills=kills,
    )
