"""The demo regency's clock: the command centre answers round the clock."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from wadul.cases.models import OPEN_STATUSES, Case
from wadul.organisation.models import Unit
from wadul.sla.models import Escalation, Schedule, UnitSchedule
from wadul.sla.services import sweep

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


def fire_late_steps() -> int:
    """The demo's few late cases escalate as live ones would: their ladder steps, skipped
    while the demo's history was replayed (nobody is alerted about the past), are fired now,
    so the inbox shows the ladder and its notifications. Idempotent: fired steps stay fired.
    Returns how many steps fired."""
    late = Case.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(first_response_at__isnull=True, first_response_due_at__lt=timezone.now())
        | Q(resolution_due_at__lt=timezone.now())
    )
    # Once per case: a step the sweep itself skips (a warning past its deadline) stays so.
    late = late.exclude(escalations__state=Escalation.State.FIRED)
    Escalation.objects.filter(case__in=late, state=Escalation.State.SKIPPED).update(
        state=Escalation.State.PENDING
    )
    return sweep().fired
