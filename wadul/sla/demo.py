"""The demo regency's clock: the command centre answers round the clock."""

from __future__ import annotations

from wadul.organisation.models import Unit
from wadul.sla.models import Schedule, UnitSchedule

ROUND_THE_CLOCK = ["PENGADUAN"]


def load_clock(units: dict[str, Unit]) -> None:
    """Give the demo's units their schedules (idempotent; before the demo cases, so their
    deadlines use them)."""
    always, _created = Schedule.objects.get_or_create(
        name="24 jam", defaults={"always_open": True, "observes_holidays": False}
    )
    for code in ROUND_THE_CLOCK:
        if code in units:
            UnitSchedule.objects.get_or_create(unit=units[code], defaults={"schedule": always})
