from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand

from wadul.demo.boundaries import load_boundaries
from wadul.demo.canned import load_canned_answers
from wadul.demo.cases import load_cases
from wadul.demo.duty import load_duty
from wadul.demo.letters import load_letters
from wadul.demo.organisation import DEMO_PASSWORD, OFFICIALS, load_organisation
from wadul.demo.ppid import PPID_OFFICIALS, load_ppid
from wadul.demo.routing import load_routing


class Command(BaseCommand):
    help = "Load the Banyuwangi demo regency (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=None, help="How many demo cases.")
        parser.add_argument("--quiet-logins", action="store_true")

    def handle(self, *args, cases: int | None, quiet_logins: bool, **options):
        units = load_organisation()
        load_boundaries()
        load_duty(units)
        if apps.is_installed("wadul.sla"):
            from wadul.sla.demo import load_clock

            load_clock(units)
            from wadul.demo.privacy import load_privacy

            load_privacy(units)
        created = load_cases(units) if cases is None else load_cases(units, count=cases)
        load_canned_answers(units)
        load_letters(units)
        load_routing(units)
        load_ppid(units)
        if apps.is_installed("wadul.sla"):
            from wadul.sla.demo import fire_late_steps

            fire_late_steps()
        outside = sum(1 for unit in units.values() if unit.is_external)
        self.stdout.write(
            f"Demo regency loaded: {len(units) - outside} units (and {outside} outside "
            f"institutions), {created} new cases."
        )
        if not quiet_logins:
            self.stdout.write(demo_logins())


def demo_logins() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for person in [*OFFICIALS, *PPID_OFFICIALS]:
        lines.append(f"  {person.username:<15} {person.role:<11} {person.position}")
    return "\n".join(lines)
