"""`wadul db_worker`: django-tasks-db's worker, plus a heartbeat row while it runs.

This app comes before `django_tasks_db` in INSTALLED_APPS, so this command replaces the
library's under the same name with the same options.
"""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from wadul.ops import heartbeat


class Command(db_worker.Command):
    help = "Run a database background worker (and record its heartbeat for /readyz)."

    def handle(self, *, worker_id: str, queue_name: str, batch: bool, **options) -> None:
        if batch:
            # A batch run drains and exits: it is not a worker the queues can rely on.
            return super().handle(
                worker_id=worker_id, queue_name=queue_name, batch=batch, **options
            )
        heartbeat.prune()
        heartbeat.beat(worker_id, queue_name)
        pulse = heartbeat.Heartbeat(worker_id, queue_name)
        pulse.start()
        try:
            super().handle(worker_id=worker_id, queue_name=queue_name, batch=batch, **options)
        finally:
            pulse.stop()
            heartbeat.forget(worker_id)
