"""Background work for the WhatsApp channel, through the django_tasks API.

The durable state is in this app's own tables (deliveries still `pending`, outbox rows still
`queued`, media still to fetch); a task is only a nudge that says "drain that table now".
Each task drains everything that is due, so a task lost with a killed worker loses nothing:
the next nudge drains what it left. `kick` adds a nudge only when no nudge is already waiting
to start, so a burst of 10,000 webhooks does not become 10,000 queue rows.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

# How long one task keeps draining before it hands over (so other queues get a turn).
DRAIN_SECONDS = 2.0


@task()
def process_webhooks() -> int:
    from wadul.whatsapp import processor

    done, more = processor.drain(budget_seconds=DRAIN_SECONDS)
    if more:
        kick(process_webhooks)
    return done


@task()
def send_outbox() -> int:
    from wadul.whatsapp import sender

    return sender.drain(budget_seconds=DRAIN_SECONDS)


@task()
def download_media() -> int:
    from wadul.whatsapp import media

    return media.drain(budget_seconds=DRAIN_SECONDS)


def kick(work, at: datetime | None = None) -> None:
    """Make sure a run of `work` starts at or before `at` (now by default), after the
    caller's data is committed: call it after commit, or use `kick_on_commit`."""
    now = timezone.now()
    if at is not None and at <= now:
        at = None
    backend = work.get_backend()
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            status="READY", task_path=work.module_path, backend_name=backend.alias
        )
        if at is None:
            waiting = waiting.filter(run_after__lte=now) | waiting.filter(run_after=get_date_max())
        else:
            waiting = waiting.filter(run_after__lte=at)
        # A waiting run has not started, so it will see everything committed before now.
        if waiting.exists():
            return
    (work.using(run_after=at) if at is not None else work).enqueue()


def kick_on_commit(work, at: datetime | None = None) -> None:
    transaction.on_commit(lambda: kick(work, at))
