"""Run Wadul on one machine: migrate, load the demo, then web server + task worker.

Ctrl-C (SIGINT) or SIGTERM stops every child process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from wadul.core.processes import EXTRA_PROCESSES
from wadul.demo.management.commands.load_demo import demo_logins
from wadul.demo.simulator import simulator_process


class Command(BaseCommand):
    help = "Migrate, load the Banyuwangi demo and serve web + worker on $PORT (default 8000)."
    # Checked in handle(), once the settings this command gives its processes are in place:
    # warning about a WhatsApp secret it is about to set would only confuse.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo data.")
        parser.add_argument(
            "--no-simulator", action="store_true", help="Do not start the WhatsApp simulator."
        )

    def handle(self, *args, port: int, host: str, no_demo: bool, no_simulator: bool, **options):
        # Handlers first: a background job of a non-interactive shell (CI's `make run &`)
        # starts with SIGINT ignored, and a Ctrl-C that came before they were set was lost.
        self.stopping = threading.Event()
        signal.signal(signal.SIGINT, lambda signum, frame: self.stopping.set())
        signal.signal(signal.SIGTERM, lambda signum, frame: self.stopping.set())
        # Links in WhatsApp messages and feeds point at this server (the environment wins).
        os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
        # Prometheus on this machine may scrape /metrics without a token.
        os.environ.setdefault("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
        simulator: list[tuple[str, list[str]]] = []
        if not no_simulator:
            # The web and worker processes inherit the simulator's Graph URL and secrets.
            sim_env, sim_process, sim_url = simulator_process(host=host, port=port)
            os.environ.update(sim_env)
            for name, value in sim_env.items():
                setattr(settings, name, value)
            simulator.append(sim_process)
        self.check(display_num_errors=False)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo:
            call_command("load_demo", quiet_logins=True)
        if self.stopping.is_set():
            self.stdout.write("Stopped.")
            return
        bin_dir = os.path.dirname(sys.executable)
        wadul = [sys.executable, "-m", "wadul"]
        processes = [
            (
                "web",
                [
                    os.path.join(bin_dir, "granian"),
                    "--interface",
                    "wsgi",
                    "--host",
                    host,
                    "--port",
                    str(port),
                    "--workers",
                    os.environ.get("WEB_WORKERS", "1"),
                    "--blocking-threads",
                    os.environ.get("WEB_THREADS", "8"),
                    "--no-ws",
                    "wadul.wsgi:application",
                ],
            ),
            ("worker", [*wadul, "db_worker", "--no-reload", "--interval", "0.5"]),
            # The WhatsApp sender's queue has its own worker, so that processing a burst of
            # incoming messages never holds up the pace of outgoing ones.
            (
                "sender",
                [*wadul, "db_worker", "--queue-name", "outbox", "--no-reload", "--interval", "0.2"],
            ),
            *simulator,
            *EXTRA_PROCESSES,
        ]
        # Each child leads its own process group: Ctrl-C reaches only this command, which then
        # stops every child exactly once (granian hangs if it gets SIGINT and SIGTERM both)
        # and can kill a child's whole group, worker processes included, if it will not stop.
        children = [
            (name, subprocess.Popen(argv, start_new_session=True))  # noqa: S603
            for name, argv in processes
        ]
        try:
            if simulator:
                self._approve_demo_templates(wadul)
            self.stdout.write(f"\nWadul is running at http://{host}:{port}/  (Ctrl-C stops it)")
            self.stdout.write(f"Staff inbox: http://{host}:{port}/inbox/   Admin: /admin/")
            if simulator:
                self.stdout.write(f"WhatsApp simulator (phone page): {sim_url}/phone")
            self.stdout.write(demo_logins() + "\n")
            self.stdout.flush()
            while not self.stopping.is_set():
                for name, child in children:
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping.")
                        self.stopping.set()
                self.stopping.wait(0.3)
        finally:
            for _name, child in children:
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for _name, child in children:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)  # leftovers of the group, if any
        self.stdout.write("Stopped.")

    def _approve_demo_templates(self, wadul: list[str]) -> None:
        """Submit the message templates to the simulator (which approves them at once) and
        record their approval, so the demo sends outside the 24-hour window as before. In
        child processes: they read the simulator's settings, this process has older ones."""
        deadline = time.monotonic() + 20
        for action in ("push", "sync"):
            while True:
                done = subprocess.run(  # noqa: S603
                    [*wadul, "whatsapp_templates", action], capture_output=True, check=False
                )
                if done.returncode == 0 or time.monotonic() > deadline:
                    break
                if self.stopping.wait(0.5):  # the simulator is still starting
                    return
            if done.returncode:
                self.stderr.write(f"whatsapp_templates {action}: {done.stderr.decode()[-300:]}")
