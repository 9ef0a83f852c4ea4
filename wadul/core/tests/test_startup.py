from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_a_process_starts_without_loading_the_demos_region_tables():
    # Every process (worker, web server, command) sets Django up; the demo's region tables
    # (lokal) take a second to load and only `serve_demo` needs them.
    code = "import django, sys; django.setup(); print('lokal' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wadul.settings"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def _serve_demo_env(tmp_path: Path) -> tuple[dict[str, str], int]:
    from wadul.simulator.testing import free_port

    env = {k: v for k, v in os.environ.items() if not k.startswith("WHATSAPP_")}
    port = free_port()
    simulator_port = next(p for p in iter(free_port, None) if p != port)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        WADUL_VAR_DIR=str(tmp_path),
        SIMULATOR_PORT=str(simulator_port),
        WEB_THREADS="2",
    )
    return env, port


def _serve_demo_output(tmp_path: Path, *extra: str) -> str:
    """Start `wadul serve_demo --no-demo`, stop it once it says it runs; its whole output."""
    env, port = _serve_demo_env(tmp_path)
    argv = [sys.executable, "-m", "wadul", "serve_demo", "--no-demo", f"--port={port}"]
    process = subprocess.Popen(  # noqa: S603
        [*argv, *extra],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "Wadul is running" in line:
                break
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    return "".join(lines) + rest


def test_make_run_warns_about_no_setting_it_sets_itself(tmp_path):
    output = _serve_demo_output(tmp_path)
    assert "Wadul is running" in output
    assert "is not set" not in output and "WARNINGS" not in output
    # Without the simulator nothing sets them, and the check says so.
    output = _serve_demo_output(tmp_path, "--no-simulator")
    assert "WHATSAPP_APP_SECRET is not set" in output


def test_make_run_stops_on_a_ctrl_c_that_comes_before_it_says_it_runs(tmp_path):
    # CI starts `make run &` from a non-interactive shell, so SIGINT starts out ignored, and
    # stops it as soon as the web server answers. A Ctrl-C then must not be lost: it was, and
    # CI waited for `make run` until its time ran out.
    env, port = _serve_demo_env(tmp_path)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "wadul", "serve_demo", "--no-demo", f"--port={port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # noqa: PLW1509
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # SIGTERM stops its children too; SIGKILL would leave them
            process.terminate()
            process.communicate(timeout=60)
    assert process.returncode == 0
    assert output.rstrip().endswith("Stopped.")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), 1).close()
