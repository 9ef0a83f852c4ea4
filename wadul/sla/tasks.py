"""Background work of the clock (django_tasks; run by `wadul db_worker`)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from wadul.sla import config, notify, services
from wadul.sla.models import Notification


@task()
def sla_sweep() -> dict:
    """Fire the escalation steps that are due (scheduled by `wadul sla_scheduler`)."""
    return asdict(services.sweep())


@task()
def recompute_deadlines(unit_ids: list[int] | None = None) -> int:
    """Recompute open cases' deadlines after a calendar, target or ladder change."""
    config.invalidate()
    return services.recompute_open_cases(unit_ids)


@task()
def deliver_notifications(ids: list[int]) -> int:
    """Hand the sweep's notifications to the channels (WhatsApp) outside the sweep."""
    rows = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient", "case", "case__unit")
        .order_by("pk")
    )
    notify.deliver(rows)
    return len(rows)
