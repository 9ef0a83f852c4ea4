"""`wadul whatsapp_simulator`: run the WhatsApp Cloud API simulator as its own process.

It replaces itself (exec) with granian serving `wadul.simulator.wsgi:application` in one worker
— granian took ~2.7× the sends per second of a threaded stdlib server in
bench/simulator_capacity.py — or, with `--server stdlib`, with `python -m wadul.simulator.serve`.
Either way the process runs the simulator's own settings: it shares neither wadul.urls nor the
database with the app.
"""

from __future__ import annotations

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from wadul.simulator.serve import add_arguments


class Command(BaseCommand):
    help = (
        "Serve the WhatsApp Cloud API simulator (Graph API, signed webhooks, /_sim/ control "
        "API, /phone page) on its own port, in its own process."
    )

    def add_arguments(self, parser):
        add_arguments(parser)
        parser.add_argument("--server", choices=["granian", "stdlib"], default="granian")
        parser.add_argument("--threads", type=int, default=8, help="granian blocking threads")

    def handle(self, *args, **options):
        if not options["app_secret"] or not options["access_token"]:
            raise CommandError("--app-secret and --access-token (or WHATSAPP_* env) are needed")
        if options["numbers"]:
            json.loads(options["numbers"])  # fail here, loudly, on a typo
        # Its own settings; secrets travel in the environment, not on the command line.
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "wadul.simulator.settings",
            "WHATSAPP_SIMULATOR_HOST": options["host"],
            "WHATSAPP_SIMULATOR_PORT": str(options["port"]),
            "WHATSAPP_WEBHOOK_URL": options["webhook_url"],
            "WHATSAPP_APP_SECRET": options["app_secret"],
            "WHATSAPP_ACCESS_TOKEN": options["access_token"],
            "WHATSAPP_API_VERSION": options["api_version"],
            "WHATSAPP_SIMULATOR_NUMBERS": options["numbers"],
        }
        if options["server"] == "stdlib":
            argv = [sys.executable, "-m", "wadul.simulator.serve"]
        else:
            granian = os.path.join(os.path.dirname(sys.executable), "granian")
            argv = [granian, "--interface", "wsgi", "--host", options["host"]]
            argv += ["--port", str(options["port"]), "--workers", "1", "--no-ws"]
            argv += ["--blocking-threads", str(options["threads"]), "--log-level", "warning"]
            argv += ["wadul.simulator.wsgi:application"]
        base = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            f"WhatsApp simulator on {base} (Graph API base URL), phone page {base}/phone, "
            f"webhooks to {options['webhook_url'] or '(none yet: POST /_sim/config)'}"
        )
        self.stdout.flush()
        os.execve(argv[0], argv, env)  # noqa: S606 (replaces this process on purpose)
