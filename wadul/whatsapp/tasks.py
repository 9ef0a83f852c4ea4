"""Background work for the WhatsApp channel, through the django_tasks API.

The durable state is in this app's own tables (deliveries still `pending`, outbox rows still
`queued`, media still to fetch); a task is only a nudge that says "drain that table now".
Each task drains everything that is due, so a task lost with a killed worker loses nothing:
the next nudge drains what it left. `kick` adds a nudge only when no nudge is already waiting
to start, so a burst of 10,000 webhooks does not become 10,000 queue rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

# How long one task keeps draining before it hands over (so other queues get a turn).
DRAIN_SECONDS = 2.0
# The sender has a queue of its own, so it hands over only to let the next run re-read
# the time of the next due row; a pause between runs is a gap in the sending pace.
SEND_DRAIN_SECONDS = 20.0


@task()
def process_webhooks() -> int:
    from wadul.whatsapp.webhook import processor

    done, more = processor.drain(budget_seconds=DRAIN_SECONDS)
    if more:
        kick(process_webhooks)
    return done


@task(queue_name="outbox")
def send_outbox() -> int:
    from wadul.whatsapp.outbound import sender

    return sender.drain(budget_seconds=SEND_DRAIN_SECONDS)


@task()
def download_media() -> int:
    from wadul.whatsapp.outbound import media

    return media.drain(budget_seconds=DRAIN_SECONDS)


def kick(work, at: datetime | None = None) -> None:
    """Make sure a run of `work` starts at or before `at` (now by default), after the
    caller's data is committed: call it after commit, or use `kick_on_commit`."""
    now = timezone.now()
    if at is not None and at <= now:
        at = None
    backend = work.get_backend()
    # A waiting run has not started, so it will see everything committed before now.
    if isinstance(backend, DatabaseBackend) and _waiting(work, backend.alias, at or now, at):
        return
    (work.using(run_after=at) if at is not None else work).enqueue()


def _waiting(work, alias: str, before: datetime, scheduled: datetime | None) -> bool:
    # Hand-written: the webhook view asks this on every POST and the ORM's version of this
    # query costs ~20 times the query itself. Uses the queue's partial index on READY rows.
    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    sql = (
        f"SELECT 1 FROM {table} WHERE status = %s AND task_path = %s "  # noqa: S608
        "AND backend_name = %s "
        "AND (run_after <= %s OR run_after = %s) LIMIT 1"
    )
    forever = get_date_max() if scheduled is None else before
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, ["READY", work.module_path, alias, adapt(before), adapt(forever)])
        return cursor.fetchone() is not None


_collected: ContextVar[set | None] = ContextVar("whatsapp_kicks", default=None)


def kick_on_commit(work, at: datetime | None = None) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.add((work, at))
        return
    transaction.on_commit(lambda: kick(work, at))


@contextmanager
def kicks_after(block: str = "") -> Iterator[None]:
    """Collect the kicks of a block of work and send each kind once, after the block (and
    its transactions) ended without error. A burst of deliveries then costs one queue check
    per batch instead of one per outbox row."""
    collected: set = set()
    token = _collected.set(collected)
    try:
        yield
    finally:
        _collected.reset(token)
    soonest: dict = {}
    for work, at in collected:
        key = work.module_path
        if key not in soonest or (at is None or (soonest[key][1] and at < soonest[key][1])):
            soonest[key] = (work, at)
    for work, at in soonest.values():
        kick(work, at)
