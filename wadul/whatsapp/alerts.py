"""Alerts for administrators (listed in the admin): one open alert per kind, code, number and
reference; a repeat raises its count instead of adding rows."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wadul.organisation.models import WhatsAppNumber
from wadul.whatsapp.models import Alert


def raise_alert(
    kind: str,
    title: str,
    *,
    code: int | None = None,
    number: WhatsAppNumber | None = None,
    reference: str = "",
    detail: str = "",
) -> Alert:
    now = timezone.now()
    with transaction.atomic():
        existing = (
            Alert.objects.select_for_update()
            .filter(
                kind=kind,
                code=code,
                number=number,
                reference=reference[:200],
                resolved_at__isnull=True,
            )
            .first()
        )
        if existing is not None:
            Alert.objects.filter(pk=existing.pk).update(
                count=F("count") + 1, last_seen_at=now, detail=detail or existing.detail
            )
            return existing
        return Alert.objects.create(
            kind=kind,
            code=code,
            number=number,
            reference=reference[:200],
            title=title[:300],
            detail=detail,
            first_seen_at=now,
            last_seen_at=now,
        )
