"""Durable storage of raw webhook deliveries: INSERTed into `WebhookDelivery` by the web
process before Meta gets its 200, by group commit.

The table is the only store: every acknowledged delivery is committed in the database, and
any number of web hosts can share one PostgreSQL without sharing a disk. (A spool file per
web process was tried and removed: it needed the worker on the same disk, bench/README.md.)

Every POST must be on disk before Meta gets its 200, but one transaction per POST makes the
web threads queue on the database's write lock (SQLite's busy handler sleeps 1, 2, 5, 10 … ms;
PostgreSQL flushes its WAL once per commit). Instead the requests of one process that arrive
while a transaction is being written wait, and the next transaction INSERTs all of them,
nudges the worker once for the lot, and only then lets each request answer. Under load a
commit carries tens of deliveries; a lone delivery is written at once, without waiting.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from wadul.core.db import one_writer
from wadul.whatsapp import nudge
from wadul.whatsapp.models import WebhookDelivery

log = logging.getLogger(__name__)

# Rows per transaction at most: a 3 MB body is allowed, so a batch stays a few hundred MB
# at the very worst and typically a few hundred kB.
BATCH_MAX = 200
# A request thread gives up (and the view answers 503, so Meta retries) after this long.
WAIT_SECONDS = 30.0


class _Pending:
    __slots__ = ("body", "received_at", "done", "error", "lead")

    def __init__(self, body: str, received_at: datetime):
        self.body = body
        self.received_at = received_at
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.lead = False  # set when this request's thread is to write the next batch


@dataclass
class Stats:
    """Since the process started: how many transactions stored how many deliveries."""

    transactions: int = 0
    deliveries: int = 0


stats = Stats()


class StoreFailed(Exception):
    """The delivery may not be stored: the webhook must not be acknowledged."""


class _GroupCommit:
    """Leader and followers: a request that finds nobody writing writes everything waiting
    (its own body included) in one transaction; requests arriving meanwhile wait, and the
    first of them leads the next transaction. No thread of our own, no hand-off for a lone
    request, and at most one transaction open at a time per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[_Pending] = []
        self._writing = False

    def store(self, body: str) -> None:
        item = _Pending(body, timezone.now())
        with self._lock:
            self._waiting.append(item)
            item.lead = not self._writing
            self._writing = True
        if not item.lead and not item.done.wait(WAIT_SECONDS):
            with self._lock:
                abandoned = item in self._waiting and not item.lead
                if abandoned:
                    self._waiting.remove(item)
            if abandoned:
                raise StoreFailed(f"no commit within {WAIT_SECONDS:.0f} s")
            item.done.wait()  # it is being written right now, or it was just made leader
        if item.lead:
            self._write_batch()
        if item.error is not None:
            raise StoreFailed(str(item.error)) from item.error

    def _write_batch(self) -> None:
        with self._lock:
            batch, self._waiting = self._waiting[:BATCH_MAX], self._waiting[BATCH_MAX:]
        try:
            insert(batch)
        except Exception as exc:  # noqa: BLE001 (every waiting request must hear of it)
            log.exception("storing %d webhook deliveries failed", len(batch))
            for item in batch:
                item.error = exc
            # A broken connection must not fail the next batch too.
            connection.close()
        else:
            _kick()
        finally:
            with self._lock:
                if batch[0].error is None:
                    stats.transactions += 1
                    stats.deliveries += len(batch)
                if self._waiting:
                    successor = self._waiting[0]
                    successor.lead = True
                    successor.done.set()
                else:
                    self._writing = False
            for item in batch:
                item.done.set()


def insert(batch: list[_Pending]) -> None:
    """INSERT the batch in one transaction."""
    with one_writer(), transaction.atomic():
        WebhookDelivery.insert_pending([(item.received_at, item.body) for item in batch])


def _kick() -> None:
    # The rows are committed: a failed nudge must not fail the requests (Meta would resend
    # what is already stored). The scheduler nudges the processor every minute as well
    # (registered in apps.py).
    try:
        nudge.kick("process_webhooks")
    except Exception:  # noqa: BLE001
        log.exception("could not nudge the webhook processor; the scheduler will")
        connection.close()


_group = _GroupCommit()


def store(body: bytes) -> None:
    """Durably store one delivery (its raw bytes, valid UTF-8) and make sure a worker will
    process it; raises `StoreFailed` when it may not be stored."""
    text = body.decode()
    if connection.in_atomic_block or not settings.WHATSAPP_WEBHOOK_GROUP_COMMIT:
        # Inside a caller's transaction (tests, ATOMIC_REQUESTS) the row must be part of
        # it: write it on this thread.
        insert([_Pending(text, timezone.now())])
        nudge.kick("process_webhooks")
        return
    _group.store(text)
