"""Starting a simulator for tests: `with running_simulator(...) as sim: sim.base_url`.

The server runs in a background thread of the test process, on a free port (from
`WADUL_TEST_PORTS`, e.g. "8200-8249", when set; otherwise any free port). The object it yields
also carries a few shortcuts for the control API.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from typing import Any

import httpx

from wadul.simulator.core import Simulator
from wadul.simulator.delivery import ssl_context
from wadul.simulator.server import serve_in_thread


def free_port(host: str = "127.0.0.1") -> int:
    """A free TCP port, from `WADUL_TEST_PORTS` ("low-high") when it is set."""
    wanted = os.environ.get("WADUL_TEST_PORTS", "")
    candidates = [0]
    if wanted:
        low, _, high = wanted.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in WADUL_TEST_PORTS={wanted}")


class RunningSimulator:
    """A simulator serving on `base_url`; `.simulator` is its in-memory state."""

    def __init__(self, simulator: Simulator, base_url: str):
        self.simulator = simulator
        self.base_url = base_url
        self.client = httpx.Client(base_url=base_url, timeout=30, verify=ssl_context())

    @property
    def graph_url(self) -> str:
        return self.base_url

    def control(self, path: str, data: dict[str, Any] | None = None, **params) -> Any:
        """POST `data` (or GET when None) to `/_sim/<path>`; return the JSON answer."""
        url = f"/_sim/{path}"
        if data is None:
            response = self.client.get(url, params=params)
        else:
            response = self.client.post(url, json=data, params=params)
        response.raise_for_status()
        return response.json()

    def register_number(self, phone_number_id: str, display_phone_number: str, **flags) -> dict:
        return self.control(
            "numbers",
            {
                "phone_number_id": phone_number_id,
                "display_phone_number": display_phone_number,
                **flags,
            },
        )

    def inbound(self, **spec) -> dict:
        return self.control("inbound", spec)

    def configure(self, **knobs) -> dict:
        return self.control("config", knobs)

    def reset(self) -> None:
        self.control("reset", {})

    def wait_idle(self, timeout: float = 10) -> bool:
        return self.simulator.deliverer.wait_idle(timeout)


@contextlib.contextmanager
def running_simulator(
    *,
    webhook_url: str = "",
    app_secret: str,
    access_token: str,
    port: int | None = None,
    host: str = "127.0.0.1",
) -> Iterator[RunningSimulator]:
    simulator = Simulator(webhook_url=webhook_url, app_secret=app_secret, access_token=access_token)
    server, thread = serve_in_thread(simulator, host, port if port is not None else free_port(host))
    running = RunningSimulator(simulator, simulator.base_url)
    try:
        yield running
    finally:
        running.client.close()
        server.shutdown()
        server.server_close()
        simulator.deliverer.stop()
        thread.join(timeout=5)
