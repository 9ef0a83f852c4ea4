"""Background work of the village letters (django_tasks; enqueued every minute by
`wadul sla_scheduler`)."""

from __future__ import annotations

from django_tasks import task

from wadul.desa import services


@task()
def delete_expired_photos() -> int:
    """Delete the identity photos whose retention time after the letter is over."""
    return services.delete_identity_photos()
