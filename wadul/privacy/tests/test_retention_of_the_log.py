"""The access log itself and the web requests' one-time-code rows are kept only so long:
old log rows go (those of a case under a legal hold stay), expired code rows go."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wadul import testing
from wadul.core import retention
from wadul.privacy import services
from wadul.privacy.models import AccessLog, WebRequest


def _seen(official, case, days_ago: int) -> AccessLog:
    services.log_access(official, case, AccessLog.Surface.CASE_PAGE)
    row = AccessLog.objects.latest("pk")
    AccessLog.objects.filter(pk=row.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return row


def _code(days_expired: int) -> WebRequest:
    return WebRequest.objects.create(
        wa_id="6281234567890",
        right="akses",
        code_digest="x" * 64,
        expires_at=timezone.now() - timedelta(days=days_expired),
    )


def test_old_log_rows_and_expired_codes_go_a_held_cases_log_stays(official_a, case_a, unit_a, dpo):
    held = testing.create_case(unit=unit_a)
    services.place_legal_hold(held, reason="Penyidikan", actor=dpo)
    old, recent = _seen(official_a, case_a, 731), _seen(official_a, case_a, 700)
    kept = _seen(official_a, held, 900)
    stale, fresh = _code(8), _code(1)

    assert retention.RULES["access_log"].days == 730
    results = retention.run()

    assert results["access_log"] == 1 and results["privacy_codes"] == 1
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}
    assert old.pk not in set(AccessLog.objects.values_list("pk", flat=True))
    assert list(WebRequest.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not WebRequest.objects.filter(pk=stale.pk).exists()


def test_the_access_log_rule_follows_the_settings(settings):
    settings.RETENTION_DAYS = {"access_log": 3650}
    assert retention.RULES["access_log"].days == 3650
