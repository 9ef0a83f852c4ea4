from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand

from wadul.core.schedule import EVERY_MINUTE


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks apps register in wadul.core.schedule (the SLA sweep, "
        "the heads' daily summary) every --interval seconds. Run one per deployment; extra "
        "schedulers are harmless: the sweep fires each step once and the summary goes once "
        "a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args, interval: float, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        next_run = time.monotonic()
        while not stopping:
            if time.monotonic() >= next_run:
                for job in EVERY_MINUTE:
                    job.enqueue()
                next_run = time.monotonic() + interval
            time.sleep(0.2)
