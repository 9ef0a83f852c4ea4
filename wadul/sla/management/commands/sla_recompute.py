from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wadul.organisation.models import Unit
from wadul.sla import config, services


class Command(BaseCommand):
    help = "Recompute the deadlines of open cases (all, or of some units and their sub-units)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", action="append", default=[], help="Unit code (repeatable).")

    def handle(self, *args, unit: list[str], **options):
        unit_ids = None
        if unit:
            found = dict(Unit.objects.filter(code__in=unit).values_list("code", "pk"))
            missing = sorted(set(unit) - set(found))
            if missing:
                raise CommandError(f"Unknown unit code(s): {', '.join(missing)}")
            unit_ids = list(found.values())
        config.invalidate()
        count = services.recompute_open_cases(unit_ids)
        self.stdout.write(f"Recomputed the deadlines of {count} open cases.")
