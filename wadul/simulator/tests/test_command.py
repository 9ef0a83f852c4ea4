"""`wadul whatsapp_simulator` and the simulator's place in `make run`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
from django.core.management import CommandError, call_command

from wadul.demo.simulator import (
    DEMO_ACCESS_TOKEN,
    DEMO_APP_SECRET,
    DEMO_VERIFY_TOKEN,
    simulator_process,
)
from wadul.simulator.state import DEFAULT_WABA_ID
from wadul.simulator.testing import free_port
from wadul.simulator.tests.conftest import APP_SECRET


def wait_for(url: str, timeout: float = 20) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return httpx.get(url, timeout=1)
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def test_the_command_serves_the_simulator_in_its_own_process(receiver_server):
    receiver_server.clear()
    port = free_port()
    numbers = [
        {"phone_number_id": "5550001", "display_phone_number": "+62 811", "coexistence": True}
    ]
    env = {**os.environ, "WHATSAPP_APP_SECRET": APP_SECRET, "WHATSAPP_ACCESS_TOKEN": "cmd-token"}
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "wadul",
            "whatsapp_simulator",
            f"--port={port}",
            f"--webhook-url={receiver_server.url}",
            f"--numbers={json.dumps(numbers)}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(f"{base}/_sim/health").json() == {"ok": True}
        [number] = httpx.get(f"{base}/_sim/numbers").json()["numbers"]
        assert (number["phone_number_id"], number["effective_throughput"]) == ("5550001", 20)
        result = httpx.post(
            f"{base}/_sim/inbound",
            json={"phone_number_id": "5550001", "from": "6281234567890", "text": "Halo"},
        ).json()
        assert result["webhook_status"] == 200
        assert receiver_server.requests[-1].signature_ok()
        refused = httpx.post(f"{base}/v21.0/5550001/messages", json={})
        assert refused.status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=15)[0].decode()
    assert f"phone page http://127.0.0.1:{port}/phone" in output
    assert "cmd-token" not in output


def test_the_command_needs_the_secrets(monkeypatch):
    monkeypatch.delenv("WHATSAPP_APP_SECRET", raising=False)
    monkeypatch.delenv("WHATSAPP_ACCESS_TOKEN", raising=False)
    with pytest.raises(CommandError, match="app-secret"):
        call_command("whatsapp_simulator", "--port=1")


def test_make_run_starts_the_simulator_with_the_demo_numbers_and_secrets(monkeypatch):
    for name in (
        "SIMULATOR_PORT",
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_ACCESS_TOKEN",
        "WHATSAPP_VERIFY_TOKEN",
        "WHATSAPP_WABA_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("WHATSAPP_GRAPH_URL", raising=False)

    env, (name, argv), url = simulator_process(host="127.0.0.1", port=8000)

    assert env == {
        "WHATSAPP_APP_SECRET": DEMO_APP_SECRET,
        "WHATSAPP_ACCESS_TOKEN": DEMO_ACCESS_TOKEN,
        "WHATSAPP_GRAPH_URL": "http://127.0.0.1:8001",
        "WHATSAPP_VERIFY_TOKEN": DEMO_VERIFY_TOKEN,
        "WHATSAPP_WABA_ID": DEFAULT_WABA_ID,
    }
    assert url == "http://127.0.0.1:8001"
    assert argv[2:4] == ["wadul", "whatsapp_simulator"]
    assert "--port=8001" in argv
    assert "--webhook-url=http://127.0.0.1:8000/webhooks/whatsapp/" in argv
    numbers = json.loads(next(a for a in argv if a.startswith("--numbers="))[10:])
    by_id = {n["phone_number_id"]: n for n in numbers}
    assert len(numbers) == 10  # the seven OPD/kecamatan numbers and three bidang
    assert by_id["110000000000004"]["coexistence"] is True
    assert by_id["110000000000004"]["name"] == "Kecamatan Genteng"
    assert by_id["110000000000001"]["coexistence"] is False
    assert by_id["110000000000008"]["name"] == "Bidang Bina Marga (Jalan dan Jembatan)"


def test_the_environment_overrides_the_demo_values(monkeypatch):
    monkeypatch.setenv("SIMULATOR_PORT", "8300")
    monkeypatch.setenv("WHATSAPP_APP_SECRET", "real-secret")
    env, _process, url = simulator_process(host="127.0.0.1", port=8000)
    assert env["WHATSAPP_APP_SECRET"] == "real-secret"
    assert url.endswith(":8300")
