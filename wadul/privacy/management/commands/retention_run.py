"""`wadul retention_run [--dry-run]`: apply the retention schedule now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from wadul.core import retention as schedule
from wadul.privacy import retention


class Command(BaseCommand):
    help = "Remove or anonymise personal data past its retention period (never under a legal hold)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, dry_run: bool, batch_size: int, **options) -> None:
        run = retention.run(dry_run=dry_run, batch_size=batch_size)
        verb = "due" if dry_run else "processed"
        for name, count in sorted(run.results.items()):
            rule = schedule.RULES[name]
            self.stdout.write(f"{name}: {count} {verb} (kept {rule.days} days: {rule.description})")
