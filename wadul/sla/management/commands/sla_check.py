from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wadul.sla import services


class Command(BaseCommand):
    help = "Fire the escalation steps that are due now (warnings, breaches, escalations)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Pretend it is this time (ISO 8601, e.g. 2026-03-25T09:00+07:00)."
        )

    def handle(self, *args, now: str | None, **options):
        at = None
        if now:
            try:
                at = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError("--now must be an ISO 8601 time.") from None
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        result = services.sweep(now=at)
        self.stdout.write(
            f"SLA check: {result.fired} steps fired, {result.notifications} notifications, "
            f"{result.skipped} skipped, {result.cancelled} cancelled."
        )
