"""Shared plumbing for the WhatsApp benchmarks: a fresh database, the app under granian (with a
no-op view beside the webhook), the simulator, and a machine description for the report."""

from __future__ import annotations

import contextlib
import itertools
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    from wadul.core.net import wait_for_port
except ImportError:  # a checkout from before wadul.core.net, measured in an A/B run

    def wait_for_port(port: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"nothing listens on {port}")


ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
APP_SECRET = "bench-app-secret"  # noqa: S105 (a throw-away local setup)
ACCESS_TOKEN = "bench-access-token"  # noqa: S105
PNID = "110000000000002"
PORTS = range(8250, 8300)  # this benchmark's port range
_databases = itertools.count()


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8250-8299")


@contextlib.contextmanager
def environment(
    database_url: str | None, settings: dict[str, str] | None = None
) -> Iterator[dict[str, str]]:
    """A fresh var dir and database (SQLite in the var dir, or a new PostgreSQL database next
    to the one `database_url` names), migrated, with one unit and one WhatsApp number.
    `settings` (e.g. a PYTHONPATH naming another checkout) apply from the migration on; a
    PYTHONPATH already set in the environment is kept in front of the bench directory."""
    var = Path(tempfile.mkdtemp(prefix="wadul-bench-"))
    env = {
        **os.environ,
        "WADUL_VAR_DIR": str(var),
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnop",
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_VERIFY_TOKEN": "bench",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [os.environ.get("PYTHONPATH"), str(ROOT / "bench")])
        ),
        **(settings or {}),
    }
    pg_name = None
    if database_url and database_url.startswith("postgres"):
        base, _, _name = database_url.rpartition("/")
        pg_name = f"wadul_bench_whatsapp_{os.getpid()}_{next(_databases)}"
        _psql(base, f"CREATE DATABASE {pg_name}")
        env["DATABASE_URL"] = f"{base}/{pg_name}"
    else:
        env.pop("DATABASE_URL", None)
    try:
        manage(env, "migrate", "-v0")
        manage(
            env,
            "shell",
            "-c",
            "from wadul import testing; "
            "u = testing.create_unit('Dinas PU', code='DPU'); "
            f"testing.create_number(u, '{PNID}')",
        )
        yield env
    finally:
        if pg_name:
            _psql(base, f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)")
        shutil.rmtree(var, ignore_errors=True)


def _psql(base_url: str, sql: str) -> None:
    subprocess.run(  # noqa: S603
        ["psql", f"{base_url}/postgres", "-q", "-c", sql],  # noqa: S607
        check=True,
        stdout=subprocess.DEVNULL,
    )


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "wadul"), *args], env=env, check=True, cwd=ROOT)  # noqa: S603


@contextlib.contextmanager
def process(
    argv: list[str], env: dict[str, str], port: int | None = None, cwd: Path = ROOT
) -> Iterator[None]:
    child = subprocess.Popen(  # noqa: S603
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, start_new_session=True
    )
    try:
        if port is not None:
            wait_for_port(port)
        yield
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def app(env: dict[str, str], port: int, workers: int = 1, threads: int = 8):
    """The app under granian, like `make run` serves it (bench_urls adds the reference views)."""
    argv = [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads)]
    argv += ["--no-ws", "--log-level", "warning", "bench_wsgi:application"]
    # granian puts its working directory first on sys.path: from the root, that checkout's
    # `wadul` would shadow one that PYTHONPATH names (a before/after would measure one code).
    return process(argv, env, port, cwd=ROOT / "bench")


def simulator(env: dict[str, str], port: int, webhook_url: str):
    argv = [str(BIN / "wadul"), "whatsapp_simulator", f"--port={port}"]
    argv += [f"--webhook-url={webhook_url}", f"--app-secret={APP_SECRET}"]
    argv += [f"--access-token={ACCESS_TOKEN}"]
    return process(argv, env, port)


def machine() -> str:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} vCPU {cpu}, {mem} RAM, load average {load:.1f} at start"
