"""Calendar edits (admin or code) recompute open deadlines; unit edits refresh caches."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wadul.organisation.models import Unit
from wadul.sla import config, tasks
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


_changed_scopes = threading.local()


def calendar_changed(unit_ids: list[int] | None = None) -> None:
    """Calendars, targets or the ladder changed: invalidate every process's cache now and
    recompute the open deadlines of the affected units after commit (a background task).

    Saving a schedule with its hours calls this once per row: the scopes are merged and
    one task is enqueued per commit.
    """
    config.bump_revision()
    scopes = getattr(_changed_scopes, "scopes", None)
    if scopes is None:
        scopes = _changed_scopes.scopes = set()
    scopes.update([None] if unit_ids is None else unit_ids)
    transaction.on_commit(_enqueue_recompute, robust=True)


def _enqueue_recompute() -> None:
    scopes = getattr(_changed_scopes, "scopes", None)
    if not scopes:
        return
    _changed_scopes.scopes = set()
    tasks.recompute_deadlines.enqueue(unit_ids=None if None in scopes else sorted(scopes))


def _scope(instance) -> list[int] | None:
    """The units whose open cases a change can affect (with their sub-units); None = all."""
    unit_id = getattr(instance, "unit_id", None)
    return [unit_id] if unit_id is not None else None


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures loading
    calendar_changed(_scope(instance))


for model in (*CALENDAR_MODELS, EscalationStep):
    post_save.connect(_changed, sender=model, dispatch_uid=f"sla-changed-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"sla-deleted-{model.__name__}")


@receiver(post_save, sender=Unit, dispatch_uid="sla-unit-saved")
def _unit_saved(sender, instance, **kwargs) -> None:
    # New units and moved units change inheritance (office hours, targets): reload caches.
    config.bump_revision()
