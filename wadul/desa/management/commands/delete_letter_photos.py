from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from wadul.desa import services


class Command(BaseCommand):
    help = (
        "Delete the KTP/KK photos of letter requests whose letter was issued more than "
        "DESA_PHOTO_RETENTION_DAYS ago (each deletion goes into the case's event log)."
    )

    def handle(self, *args, **options) -> None:
        deleted = services.delete_identity_photos()
        self.stdout.write(
            f"{deleted} photos deleted (retention {settings.DESA_PHOTO_RETENTION_DAYS} days)."
        )
