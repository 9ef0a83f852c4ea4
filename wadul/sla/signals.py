"""Calendar edits (admin or code) recompute open deadlines; unit edits refresh caches."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wadul.organisation.models import Unit
from wadul.sla import config, services
from wadul.sla.models import (
    Closure,
    EscalationStep,
    LocalHoliday,
    Schedule,
    ScheduleHours,
    Target,
    UnitSchedule,
)

CALENDAR_MODELS = (Schedule, ScheduleHours, UnitSchedule, LocalHoliday, Closure, Target)


def _scope(instance) -> list[int] | None:
    """The units whose open cases a change can affect (with their sub-units); None = all."""
    unit_id = getattr(instance, "unit_id", None)
    return [unit_id] if unit_id is not None else None


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures loading
    services.calendar_changed(_scope(instance))


for model in (*CALENDAR_MODELS, EscalationStep):
    post_save.connect(_changed, sender=model, dispatch_uid=f"sla-changed-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"sla-deleted-{model.__name__}")


@receiver(post_save, sender=Unit, dispatch_uid="sla-unit-saved")
def _unit_saved(sender, instance, **kwargs) -> None:
    # New units and moved units change inheritance (office hours, targets): reload caches.
    config.bump_revision()
