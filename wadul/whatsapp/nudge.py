"""Nudges: "run that background job now (or at `at`)", asked for by the work itself.

The durable state is in the channel's own tables (deliveries still `pending`, outbox rows
still `queued`, media still to fetch, follow-ups held); a job is only a nudge that says "drain
that table now". Each job drains everything that is due, so a job lost with a killed worker
loses nothing: the next nudge drains what it left. `kick` adds a nudge only when no nudge is
already waiting to start, so a burst of 10,000 webhooks does not become 10,000 queue rows.

The jobs are defined where they import the work they run (`wadul.whatsapp.tasks`,
`wadul.whatsapp.relay.tasks`) and registered here with `job`; the work asks for a run by the
job's name, so it never imports a tasks module (which imports it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

_jobs: dict[str, Task] = {}


def job(task: Task) -> Task:
    """Register a task under its function's name (a decorator, above `@task()`)."""
    _jobs[task.name] = task
    return task


def kick(name: str, at: datetime | None = None) -> None:
    """Make sure a run of the job `name` starts at or before `at` (now by default), after
    the caller's data is committed: call it after commit, or use `kick_on_commit`."""
    work = _jobs[name]
    now = timezone.now()
    if at is not None and at <= now:
        at = None
    backend = work.get_backend()
    # A waiting run has not started, so it will see everything committed before now.
    if isinstance(backend, DatabaseBackend) and _waiting(work, backend.alias, at or now, at):
        return
    (work.using(run_after=at) if at is not None else work).enqueue()


def _waiting(work: Task, alias: str, before: datetime, scheduled: datetime | None) -> bool:
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


def kick_on_commit(name: str, at: datetime | None = None) -> None:
    if name not in _jobs:  # fail in the caller's transaction, not after its commit
        raise KeyError(f"no background job {name!r} is registered")
    collected = _collected.get()
    if collected is not None:
        collected.add((name, at))
        return
    transaction.on_commit(lambda: kick(name, at))


@contextmanager
def kicks_after() -> Iterator[None]:
    """Collect the kicks of a block of work and send each job's once, after the block (and
    its transactions) ended without error. A burst of deliveries then costs one queue check
    per batch instead of one per outbox row."""
    collected: set = set()
    token = _collected.set(collected)
    try:
        yield
    finally:
        _collected.reset(token)
    soonest: dict[str, datetime | None] = {}
    for name, at in collected:
        if name not in soonest or at is None or (soonest[name] and at < soonest[name]):
            soonest[name] = at
    for name, at in soonest.items():
        kick(name, at)
