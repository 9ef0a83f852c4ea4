from __future__ import annotations

from django.core.management.base import BaseCommand

from wadul.portal import stats  # noqa: F401 (stats registers the computers)
from wadul.sla import snapshots


class Command(BaseCommand):
    help = "Recompute the stored statistics figures that are older than PORTAL_STATS_MAX_AGE."

    def handle(self, *args, **options) -> None:
        done = snapshots.refresh_all_stale()
        self.stdout.write(f"Recomputed {done} figures.")
