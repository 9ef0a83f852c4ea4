"""deploy/: the systemd units, the Caddy site and the Prometheus rules are valid, the
environment template passes `wadul check --deploy` and names every setting, and the
commands the units start come up and make the installation ready."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django_tasks_db.models import DBTaskResult

from wadul import testing
from wadul.ops.models import WorkerHeartbeat
from wadul.simulator.testing import free_port

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
INSTALL_DIR = "/opt/wadul"
SERVICES = ["wadul-web", "wadul-worker", "wadul-sender", "wadul-scheduler"]


def tool(name: str) -> str:
    path = shutil.which(name)
    # Not a skip: `make test` installs these Debian packages when run as root.
    assert path, f"{name} is not installed (apt-get install caddy prometheus systemd)"
    return path


def template() -> dict[str, str]:
    """The environment file as systemd reads it: KEY=VALUE lines, # comments."""
    values = {}
    for line in (DEPLOY / "wadul.env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            value = value.strip()
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            else:
                # systemd would treat these as quoting or escapes inside a bare value.
                assert not set(value) & set("'\"\\"), f"quote the value of {key}"
            values[key.strip()] = value
    return values


def local_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The template's values with this machine's database and directories."""
    return {
        **os.environ,
        **template(),
        "DATABASE_URL": testing.database_url(),
        "WADUL_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "var" / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        **overrides,
    }


def exec_start(unit: str, env: dict[str, str]) -> list[str]:
    """The unit's ExecStart as systemd runs it: split like a shell, ${VAR} replaced by the
    environment file's value, the install directory replaced by this checkout."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(UNITS / f"{unit}.service")
    argv = shlex.split(parser["Service"]["ExecStart"])
    argv = [re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], word) for word in argv]
    assert argv[0].startswith(f"{INSTALL_DIR}/.venv/bin/"), argv[0]
    return [str(Path(sys.executable).parent / Path(argv[0]).name), *argv[1:]]


def test_the_systemd_units_verify(tmp_path):
    # Verified as installed: the commands they name must exist, so /opt/wadul is this checkout.
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALL_DIR, str(ROOT)))
    names = sorted(p.name for p in tmp_path.iterdir())
    result = subprocess.run(  # noqa: S603
        [tool("systemd-analyze"), "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_the_caddy_site_validates():
    result = subprocess.run(  # noqa: S603
        [
            tool("caddy"),
            "validate",
            "--config",
            str(DEPLOY / "Caddyfile"),
            "--adapter",
            "caddyfile",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "Valid configuration" in result.stdout + result.stderr, (
        result.stderr
    )


def test_the_alert_rules_check_out():
    result = subprocess.run(  # noqa: S603
        [tool("promtool"), "check", "rules", str(DEPLOY / "prometheus" / "alerts.yml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 8 rules found" in result.stdout


def test_the_template_names_every_setting():
    source = (ROOT / "wadul" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', source))
    assert read - set(template()) == set()


@pytest.mark.django_db
def test_check_deploy_passes_without_warnings_with_the_template(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wadul", "check", "--deploy", "--fail-level", "WARNING"],
        env=local_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_check_deploy_names_what_a_production_install_lacks(tmp_path):
    env = local_environment(
        tmp_path,
        SITE_URL="http://wadul.example.go.id",
        TRUSTED_PROXIES="0",
        METRICS_TOKEN="",
        WHATSAPP_GRAPH_URL="http://127.0.0.1:8001",
        SECURE_COOKIES="0",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wadul", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    for code in ("wadul.ops.W001", "wadul.ops.W003", "wadul.ops.W004", "wadul.ops.W006"):
        assert code in result.stderr
    assert "security.W012" in result.stderr


@pytest.fixture
def started(tmp_path, transactional_db) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    port = free_port()
    env = local_environment(tmp_path, WEB_PORT=str(port), LOG_LEVEL="WARNING")
    children = {
        unit: subprocess.Popen(  # noqa: S603
            exec_start(unit, env),
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=(tmp_path / f"{unit}.out").open("w"),
        )
        for unit in SERVICES
    }
    try:
        yield f"http://127.0.0.1:{port}", children
    finally:
        for child in children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=10)


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
        except httpx.HTTPError:
            result = None
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out: {what}")


def test_the_units_commands_come_up_ready_and_stop_cleanly(started, tmp_path):
    url, children = started
    with httpx.Client(base_url=url, timeout=10) as http:
        wait_for(lambda: http.get("/healthz").status_code == 200, 60, "/healthz")
        ready = wait_for(
            lambda: (r := http.get("/readyz")).status_code == 200 and r, 60, "/readyz 200"
        )
        assert ready.json()["ready"] is True
        token = template()["METRICS_TOKEN"]
        metrics = http.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert metrics.status_code == 200
        assert 'wadul_queue_live_workers{queue="outbox"} 1.0' in metrics.text
    # The scheduler enqueued the clock's sweep and the default worker ran it.
    wait_for(
        lambda: DBTaskResult.objects.filter(
            task_path__endswith="sla_sweep", status="SUCCESSFUL"
        ).exists(),
        30,
        "the scheduler's sweep run by the worker",
    )
    assert WorkerHeartbeat.objects.count() == 2
    # granian never finishes stopping if SIGTERM comes while one of its workers is still
    # starting (it stops the others, then waits for that one): under load the second worker
    # can take longer than the first needs to answer. systemd would SIGKILL it after
    # TimeoutStopSec; here, stop once every worker has started.
    web = next(unit for unit in children if unit.endswith("web"))
    argv = children[web].args
    workers = int(argv[argv.index("--workers") + 1])
    log = tmp_path / f"{web}.out"
    wait_for(lambda: log.read_text().count("Started worker-") >= workers, 60, "granian workers")
    # systemctl stop: SIGTERM to the main process, which stops cleanly.
    for unit, child in children.items():
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=30) == 0, unit
    assert WorkerHeartbeat.objects.count() == 0
    assert not any(p.poll() is None for p in children.values())
