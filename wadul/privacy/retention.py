"""The retention rules for cases and contacts (UU 27/2022 and the jadwal retensi arsip).

Defaults: closed cases anonymised 5 years after closing; contacts with no case for 2 years
anonymised. Other apps register their own rules (WhatsApp: raw payloads and provider logs).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.core import retention
from wadul.privacy import services
from wadul.privacy.models import RetentionRun


def register_rules() -> None:
    retention.register(
        retention.Rule(
            name="closed_cases",
            description=_("Closed cases: reporter's data anonymised"),
            default_days=5 * 365,
            process=services.anonymise_due_cases,
            count_due=lambda cutoff: services.closed_cases_due(cutoff).count(),
        )
    )
    retention.register(
        retention.Rule(
            name="inactive_contacts",
            description=_("Contacts with no case: anonymised"),
            default_days=2 * 365,
            process=services.anonymise_due_contacts,
            count_due=lambda cutoff: services.inactive_contacts_due(cutoff).count(),
        )
    )


def run(*, dry_run: bool = False, batch_size: int = 500) -> RetentionRun:
    """One run of the whole schedule, recorded (a dry run too)."""
    record = RetentionRun.objects.create(dry_run=dry_run)
    results = retention.run(dry_run=dry_run, batch_size=batch_size)
    record.results = results
    record.finished_at = timezone.now()
    record.save(update_fields=["results", "finished_at"])
    return record
