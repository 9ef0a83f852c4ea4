from __future__ import annotations

from django.core.management.base import BaseCommand

from wadul.sla import config, metrics


class Command(BaseCommand):
    help = "Rebuild every case's metrics row from the event log."

    def handle(self, *args, **options):
        config.invalidate()
        count = metrics.rebuild_all()
        self.stdout.write(f"Rebuilt the metrics of {count} cases from their events.")
