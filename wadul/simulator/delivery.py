"""Webhook delivery: signed POSTs to the app, in the background, with retries.

Jobs travel in *lanes*: the statuses of one message share a lane and are posted one after the
other (sent, then delivered, then read), each `delay` seconds after the previous one finished;
different lanes run in parallel on a few threads. A failed POST (non-200 or connection error)
is retried with exponential backoff without blocking other lanes; after the last attempt the
webhook is dropped and counted, as Meta gives up after 7 days.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from wadul.simulator import payloads

log = logging.getLogger("wadul.simulator")
_ssl_context: ssl.SSLContext | None = None


def ssl_context() -> ssl.SSLContext:
    """One TLS context per process: building one costs ~50 ms, and tests start many clients."""
    global _ssl_context
    if _ssl_context is None:
        _ssl_context = ssl.create_default_context()
    return _ssl_context


@dataclass
class Job:
    """One webhook to post. `build` makes the body on first attempt (None: nothing to send)."""

    phone_number_id: str
    build: Callable[[], bytes | None]
    delay: float = 0.0
    body: bytes | None = None
    attempts: int = 0


class WebhookSource(Protocol):
    """What the deliverer needs of the simulator: its knobs, its secret and its counters."""

    config: dict[str, Any]
    app_secret: str

    def count_webhook(self, pnid: str, outcome: str) -> None: ...


class Deliverer:
    def __init__(self, simulator: WebhookSource, threads: int = 4):
        self.simulator = simulator
        self.threads_wanted = threads
        self.cond = threading.Condition()
        self.lanes: dict[str, deque[Job]] = {}
        self.ready: list[tuple[float, int, str]] = []
        self.seq = itertools.count()
        self.turns = itertools.count()  # which of several `webhook_urls` is next
        self.running = 0  # jobs being posted right now
        self.threads: list[threading.Thread] = []
        self.stopping = False
        self.generation = 0  # bumped by clear(): results of older jobs are ignored
        self.client = httpx.Client(
            timeout=10.0,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
            verify=ssl_context(),
        )

    # --- queueing ---------------------------------------------------------------------------------

    def submit(self, lane: str, jobs: list[Job]) -> None:
        if not jobs:
            return
        with self.cond:
            self._start_threads()
            queue = self.lanes.get(lane)
            if queue is None:
                self.lanes[lane] = deque(jobs)
                self._push(lane, time.monotonic() + jobs[0].delay)
            else:
                queue.extend(jobs)  # runs after what the lane already holds
            self.cond.notify()

    def _push(self, lane: str, due: float) -> None:
        heapq.heappush(self.ready, (due, next(self.seq), lane))

    def _start_threads(self) -> None:
        # Started lazily so a server that forks workers starts them in the serving process.
        while len(self.threads) < self.threads_wanted:
            thread = threading.Thread(target=self._work, name="sim-webhooks", daemon=True)
            thread.start()
            self.threads.append(thread)

    def clear(self) -> None:
        with self.cond:
            self.lanes.clear()
            self.ready.clear()
            self.generation += 1

    def idle(self) -> bool:
        with self.cond:
            return not self.lanes and self.running == 0

    def wait_idle(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.idle():
                return True
            time.sleep(0.01)
        return False

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        for thread in self.threads:
            thread.join(timeout=2)
        self.client.close()

    # --- the worker loop --------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self.cond:
                while not self.stopping:
                    now = time.monotonic()
                    if self.ready and self.ready[0][0] <= now:
                        break
                    timeout = (self.ready[0][0] - now) if self.ready else None
                    self.cond.wait(timeout)
                if self.stopping:
                    return
                _due, _seq, lane = heapq.heappop(self.ready)
                queue = self.lanes.get(lane)
                if not queue:
                    continue
                job = queue[0]
                generation = self.generation
                self.running += 1
            try:
                ok = self._attempt(job)
            except Exception:  # a bug must not kill the delivery thread
                log.exception("webhook job failed")
                ok = True
            dropped = False
            with self.cond:
                self.running -= 1
                if generation != self.generation or self.lanes.get(lane) is not queue:
                    continue
                if ok or job.attempts >= self._retry()["attempts"]:
                    dropped = not ok
                    queue.popleft()
                    if queue:
                        self._push(lane, time.monotonic() + queue[0].delay)
                    else:
                        del self.lanes[lane]
                else:
                    retry = self._retry()
                    backoff = retry["initial_ms"] / 1000 * retry["factor"] ** (job.attempts - 1)
                    self._push(lane, time.monotonic() + backoff)
                self.cond.notify()
            if dropped:
                # Outside the condition: the simulator's lock is always taken first.
                self.simulator.count_webhook(job.phone_number_id, "dropped")

    def _retry(self) -> dict:
        return self.simulator.config["webhook_retry"]

    def _attempt(self, job: Job) -> bool:
        if job.body is None:
            body = job.build()
            if body is None:
                return True
            job.body = body
        job.attempts += 1
        copies = self.simulator.config["duplicate_webhooks"]
        ok = True
        for _ in range(max(1, copies)):
            status = self.post(job.phone_number_id, job.body)
            ok = ok and status == 200
        return ok

    def restart_turns(self) -> None:
        self.turns = itertools.count()

    # --- one POST ---------------------------------------------------------------------------------

    def post(self, phone_number_id: str, body: bytes) -> int | None:
        """POST one signed webhook; return the HTTP status (None: no answer). Counts it."""
        sim = self.simulator
        urls = sim.config["webhook_urls"] or [sim.config["webhook_url"]]
        url = urls[next(self.turns) % len(urls)]
        if not url:
            sim.count_webhook(phone_number_id, "failed")
            return None
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "facebookexternalua",
            "X-Hub-Signature": payloads.signature_sha1(sim.app_secret, body),
            "X-Hub-Signature-256": payloads.signature(sim.app_secret, body),
        }
        try:
            response = self.client.post(
                url, content=body, headers=headers, timeout=sim.config["webhook_timeout_s"]
            )
            status: int | None = response.status_code
        except httpx.HTTPError as exc:
            log.info("webhook to %s failed: %s", url, exc)
            status = None
        sim.count_webhook(phone_number_id, "ok" if status == 200 else "failed")
        return status
