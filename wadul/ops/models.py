"""What the operations surface records itself: the task workers' heartbeats."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running `wadul db_worker` process, refreshed every WORKER_HEARTBEAT_SECONDS.

    `/readyz` and `/metrics` read it: a queue whose workers all stopped beating has nobody
    to run its tasks. A row of a worker that stopped stays (its age tells how long ago);
    rows older than a day are removed by the next worker that starts.
    """

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    queues = models.CharField(_("queues"), max_length=200)
    host = models.CharField(_("host"), max_length=200)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    beat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.queues})"

    def serves(self, queue: str) -> bool:
        names = self.queues.split(",")
        return queue in names or "*" in names
