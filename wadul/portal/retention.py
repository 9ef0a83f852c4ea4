"""The portal's retention rule: the rows behind a WhatsApp number typed on a web report (the
number and a code's digest) go 7 days after the code expired. By then the number is either
linked to the case's reporter (a confirmed code) or was never proven theirs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wadul.core import retention
from wadul.portal.models import WhatsAppVerification


def _expired(cutoff):
    return WhatsAppVerification.objects.filter(expires_at__lt=cutoff)


def register_rules() -> None:
    retention.register(
        retention.Rule(
            name="portal_codes",
            description=_("WhatsApp numbers typed on web reports, with their codes, once expired"),
            default_days=7,
            process=lambda cutoff, limit: retention.delete_batch(_expired(cutoff), limit),
            count_due=lambda cutoff: _expired(cutoff).count(),
        )
    )
