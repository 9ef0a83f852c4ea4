"""The retention rules for cases and contacts (UU 27/2022 and the jadwal retensi arsip).

Defaults: closed cases anonymised 5 years after closing; contacts with no case for 2 years
anonymised; the access log itself kept 2 years (except for cases under a legal hold, whose
log is evidence); the web requests' one-time-code rows (a number and a code's digest) 7 days
after the code expired. Other apps register their own rules (WhatsApp: raw payloads and
provider logs).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.core import retention
from wadul.privacy import services
from wadul.privacy.models import AccessLog, LegalHold, RetentionRun, WebRequest


def _old_log(cutoff):
    return AccessLog.objects.filter(at__lt=cutoff).exclude(Exists(held_log_cases()))


def held_log_cases():
    return LegalHold.objects.filter(case=OuterRef("case_id"), released_at__isnull=True)


def _finished_codes(cutoff):
    # Expired before the cutoff: confirmed long ago (the case stands on its own) or never.
    return WebRequest.objects.filter(expires_at__lt=cutoff)


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

    retention.register(
        retention.Rule(
            name="access_log",
            description=_("Access log of personal data (not of cases under a legal hold)"),
            default_days=2 * 365,
            process=lambda cutoff, limit: retention.delete_batch(_old_log(cutoff), limit),
            count_due=lambda cutoff: _old_log(cutoff).count(),
        )
    )
    retention.register(
        retention.Rule(
            name="privacy_codes",
            description=_("One-time codes of personal-data requests on the web, once expired"),
            default_days=7,
            process=lambda cutoff, limit: retention.delete_batch(_finished_codes(cutoff), limit),
            count_due=lambda cutoff: _finished_codes(cutoff).count(),
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
