"""Background work: the retention schedule once a day (the scheduler asks every minute)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from wadul.privacy import retention
from wadul.privacy.models import RetentionRun


@task()
def daily_retention() -> None:
    last = RetentionRun.objects.filter(dry_run=False).order_by("-started_at").first()
    if last is not None and last.started_at > timezone.now() - timedelta(days=1):
        return
    retention.run()
