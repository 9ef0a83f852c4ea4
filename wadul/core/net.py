"""Waiting for a server another process starts (the test and bench harnesses)."""

from __future__ import annotations

import socket
import time


def wait_for_port(port: int, timeout: float = 60, host: str = "127.0.0.1") -> None:
    """Until something listens on `port`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")
