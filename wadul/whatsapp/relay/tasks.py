"""Background work of the relay (django_tasks; enqueued by `wadul sla_scheduler`)."""

from __future__ import annotations

from django_tasks import task

from wadul.whatsapp import nudge
from wadul.whatsapp.relay import services


@nudge.job
@task()
def daily_summary() -> int:
    """Send the heads' daily summary if it is time today and it has not gone yet."""
    return services.send_daily_summaries_once()


@nudge.job
@task()
def send_held_follow_ups() -> int:
    """Send the follow-up notices held for a quiet time that is now over (kicked for that
    moment when one is held; also every minute, in case a kick was lost)."""
    return services.send_held_follow_ups()
