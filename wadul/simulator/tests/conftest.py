"""Fixtures: one simulator and one receiving server for the session, reset for every test.

The receiver is a tiny real WSGI server standing in for the app's webhook endpoint: it
records every request (raw bytes, headers, arrival time), checks each signature, and answers
200 unless told otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from wadul.simulator.server import QuietHandler, ThreadingServer
from wadul.simulator.testing import free_port, running_simulator

APP_SECRET = "test-app-secret"
ACCESS_TOKEN = "test-access-token"
PNID = "110000000000001"
DISPLAY = "+62 811-3500-112"
CITIZEN = "6281234567890"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    answered: int

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def value(self) -> dict[str, Any]:
        return self.json["entry"][0]["changes"][0]["value"]

    @property
    def field(self) -> str:
        return self.json["entry"][0]["changes"][0]["field"]

    def signature_ok(self, secret: str = APP_SECRET) -> bool:
        expected = "sha256=" + hmac.new(secret.encode(), self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers.get("x-hub-signature-256", ""), expected)


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # consumed first; then 200
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            status = self.answers.pop(0) if self.answers else 200
            headers = {
                k[5:].replace("_", "-").lower(): v
                for k, v in environ.items()
                if k.startswith("HTTP_")
            }
            headers["content-type"] = environ.get("CONTENT_TYPE", "")
            self.requests.append(
                Received(environ["PATH_INFO"], headers, body, time.monotonic(), status)
            )
        start_response(f"{status} X", [("Content-Type", "text/plain")])
        return [b"ok"]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.answers.clear()
            self.delay = 0.0

    def statuses(self, wamid: str | None = None) -> list[dict[str, Any]]:
        """Every status item received (duplicates included), in arrival order."""
        with self.lock:
            requests = list(self.requests)
        found = []
        for r in requests:
            for item in r.value.get("statuses", []):
                if wamid is None or item["id"] == wamid:
                    found.append(item)
        return found

    def last_message(self) -> dict[str, Any]:
        """The message of the newest request that carried one: status webhooks for earlier
        sends arrive on their own schedule, so the newest request may be one of those."""
        with self.lock:
            requests = list(self.requests)
        return next(r.value["messages"][0] for r in reversed(requests) if "messages" in r.value)

    def wait_for(self, check: Callable[[], Any], timeout: float = 5.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(0.01)
        raise AssertionError(f"timed out waiting; received {len(self.requests)} requests")


@pytest.fixture(scope="session")
def receiver_server():
    receiver = Receiver()
    port = free_port()
    server = ThreadingServer(("127.0.0.1", port), QuietHandler)
    server.set_app(receiver.app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{port}/webhooks/whatsapp/"
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def simulator_server(receiver_server):
    with running_simulator(
        webhook_url=receiver_server.url, app_secret=APP_SECRET, access_token=ACCESS_TOKEN
    ) as running:
        yield running


class Sim:
    """What a test drives: the Graph API, the control API and the receiver."""

    def __init__(self, running, receiver: Receiver):
        self.running = running
        self.receiver = receiver
        self.base_url = running.base_url
        self.state = running.simulator
        self.http = httpx.Client(base_url=running.base_url, timeout=30)

    def send(self, body: dict[str, Any] | None = None, *, pnid: str = PNID, token=ACCESS_TOKEN,
             version: str = "v21.0", **fields) -> httpx.Response:  # fmt: skip
        body = {"messaging_product": "whatsapp", **(body or {}), **fields}
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.post(f"/{version}/{pnid}/messages", json=body, headers=headers)

    def text(self, body: str = "Halo", to: str = CITIZEN, **extra) -> httpx.Response:
        return self.send(to=to, type="text", text={"body": body}, **extra)

    def template(self, name: str = "wadul_update", to: str = CITIZEN, **extra) -> httpx.Response:
        template = {
            "name": name,
            "language": {"code": "id"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "WDL-1"}]}],
        }
        return self.send(to=to, type="template", template=template, **extra)

    def control(self, path: str, data: dict[str, Any] | None = None, **params) -> Any:
        if data is None:
            response = self.http.get(f"/_sim/{path}", params=params)
        else:
            response = self.http.post(f"/_sim/{path}", json=data, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def inbound(self, **spec) -> dict[str, Any]:
        spec.setdefault("phone_number_id", PNID)
        spec.setdefault("from", CITIZEN)
        spec.setdefault("name", "Siti Rahayu")
        if spec.get("type", "text") == "text":
            spec.setdefault("text", "Jalan di depan rumah saya berlubang")
        return self.control("inbound", spec)

    def configure(self, **knobs) -> dict[str, Any]:
        return self.control("config", knobs)

    def idle(self) -> None:
        assert self.state.deliverer.wait_idle(10)


@pytest.fixture
def sim(simulator_server, receiver_server) -> Sim:
    simulator_server.simulator.reset()
    receiver_server.clear()
    helper = Sim(simulator_server, receiver_server)
    # Fast retries keep the suite quick; the defaults are exercised where they matter.
    helper.configure(webhook_retry={"attempts": 4, "initial_ms": 20, "factor": 2})
    helper.control("numbers", {"phone_number_id": PNID, "display_phone_number": DISPLAY})
    yield helper
    helper.http.close()
    # Drop what is still queued and let in-flight posts land before the next test starts.
    simulator_server.simulator.deliverer.clear()
    simulator_server.simulator.deliverer.wait_idle(5)
