"""Task workers say they are alive: one row per `wadul db_worker` process, refreshed by a
thread of its own, so that `/readyz` and `/metrics` can tell a queue nobody serves."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from wadul.ops.models import WorkerHeartbeat

log = logging.getLogger(__name__)


def beat(worker_id: str, queues: str) -> None:
    """Record that this process is alive (insert on the first beat)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "queues": queues[:200],
            "host": socket.gethostname()[:200],
            "pid": os.getpid(),
            "beat_at": timezone.now(),
        },
    )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its row: its queue is unserved at once."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def prune(days: int = 1) -> None:
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=days)).delete()


class Heartbeat(threading.Thread):
    """Beats every WORKER_HEARTBEAT_SECONDS in its own thread (and database connection), so
    a long task does not make a live worker look dead; a wedged queue shows as task lag."""

    def __init__(self, worker_id: str, queues: str) -> None:
        super().__init__(name="wadul-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self._stop_event = threading.Event()

    def run(self) -> None:
        interval = settings.WORKER_HEARTBEAT_SECONDS
        while not self._stop_event.wait(interval):
            try:
                beat(self.worker_id, self.queues)
            except DatabaseError:
                log.warning("worker heartbeat not recorded; retrying in %ss", interval)
            finally:
                connection.close()

    def stop(self) -> None:
        self._stop_event.set()
