"""Background work of the clock (django_tasks; run by `wadul db_worker`)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from wadul.sla import config, services

# Queued rows name their task by its module path; the delivery task moved to `notify` (so
# the sweep can enqueue it without importing this module) and stays reachable by its old path.
from wadul.sla.notify import deliver_notifications

__all__ = ["deliver_notifications", "recompute_deadlines", "sla_sweep"]


@task()
def sla_sweep() -> dict:
    """Fire the escalation steps that are due (scheduled by `wadul sla_scheduler`)."""
    return asdict(services.sweep())


@task()
def recompute_deadlines(unit_ids: list[int] | None = None) -> int:
    """Recompute open cases' deadlines after a calendar, target or ladder change."""
    config.invalidate()
    return services.recompute_open_cases(unit_ids)
