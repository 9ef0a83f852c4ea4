"""Background work: the retention schedule once a day, the DPO's alerts every few minutes
(the scheduler asks every minute)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from wadul.privacy import monitoring, retention
from wadul.privacy.models import RetentionRun


@task()
def daily_retention() -> None:
    last = RetentionRun.objects.filter(dry_run=False).order_by("-started_at").first()
    if last is not None and last.started_at > timezone.now() - timedelta(days=1):
        return
    retention.run()


@task()
def push_dpo_alerts() -> None:
    """The access log's alerts to the DPO, every PRIVACY_ALERT_PUSH_MINUTES (the check reads
    24 hours of the log, so not every minute)."""
    every = max(1, int(getattr(settings, "PRIVACY_ALERT_PUSH_MINUTES", 10)))
    if timezone.localtime().minute % every == 0:
        monitoring.push_alerts()
