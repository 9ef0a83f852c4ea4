"""`wadul retention_run`: old payloads go, old closed cases are anonymised, a held case is
kept, a dry run changes nothing, and an interrupted run is completed by the next one."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from wadul import testing
from wadul.cases.models import Case, Status
from wadul.core import retention
from wadul.privacy import services
from wadul.privacy.models import Erasure, RetentionRun
from wadul.whatsapp.models import InboundMessage, ProviderCall, WebhookDelivery

LONG_AGO = timedelta(days=6 * 365)


def _closed_long_ago(unit, name: str) -> Case:
    case = testing.create_case(
        unit=unit, contact=testing.create_contact(name), text=f"Saya {name}, jalan rusak"
    )
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED, closed_at=timezone.now() - LONG_AGO
    )
    return Case.objects.get(pk=case.pk)


def _payload(days_ago: int) -> WebhookDelivery:
    at = timezone.now() - timedelta(days=days_ago)
    return WebhookDelivery.objects.create(
        body='{"from": "6281234567890"}', state="processed", received_at=at, processed_at=at
    )


def test_retention_run_removes_old_payloads_and_keeps_a_held_case(unit_a, dpo):
    old, recent = _payload(31), _payload(29)
    pending = WebhookDelivery.objects.create(body="{}", received_at=timezone.now() - LONG_AGO)
    ProviderCall.objects.create(method="POST", url="/messages", at=timezone.now() - LONG_AGO)
    InboundMessage.objects.create(
        wamid="wamid.1", type="text", sent_at=timezone.now(), raw={"profile": {"name": "Siti"}}
    )
    InboundMessage.objects.filter(wamid="wamid.1").update(
        created_at=timezone.now() - timedelta(days=40)
    )
    expired = _closed_long_ago(unit_a, "Budi Santoso")
    held = _closed_long_ago(unit_a, "Tono Wijaya")
    services.place_legal_hold(held, reason="Sengketa di PTUN", actor=dpo)

    out = io.StringIO()
    call_command("retention_run", stdout=out)

    remaining = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, pending.pk}  # unprocessed payloads wait for replay
    assert old.pk not in remaining and not ProviderCall.objects.exists()
    assert InboundMessage.objects.get(wamid="wamid.1").raw == {}
    expired.refresh_from_db()
    assert "Budi" not in expired.description and Erasure.objects.filter(case=expired).exists()
    held.refresh_from_db()
    assert "Tono Wijaya" in held.description and not Erasure.objects.filter(case=held).exists()
    assert "webhook_payloads: 1 processed" in out.getvalue()
    assert "closed_cases: 1 processed" in out.getvalue()
    run = RetentionRun.objects.get()
    assert run.results["webhook_payloads"] == 1 and run.finished_at is not None


def test_a_dry_run_counts_and_changes_nothing(unit_a):
    _payload(31)
    case = _closed_long_ago(unit_a, "Budi Santoso")
    out = io.StringIO()
    call_command("retention_run", "--dry-run", stdout=out)
    assert "webhook_payloads: 1 due" in out.getvalue()
    assert "closed_cases: 1 due" in out.getvalue()
    assert WebhookDelivery.objects.count() == 1
    case.refresh_from_db()
    assert "Budi" in case.description
    assert RetentionRun.objects.get().dry_run


def test_an_interrupted_run_leaves_each_batch_whole_and_the_next_run_completes_it(unit_a):
    for _ in range(5):
        _payload(31)
    real = retention.RULES["webhook_payloads"]
    calls = []

    def crashing(cutoff, limit):
        calls.append(limit)
        done = real.process(cutoff, limit)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return done

    retention.register(
        retention.Rule(real.name, real.description, real.default_days, crashing, real.count_due)
    )
    try:
        with pytest.raises(RuntimeError):
            retention.run(batch_size=2)
    finally:
        retention.register(real)
    # The first batch committed, the second rolled back whole.
    assert WebhookDelivery.objects.count() == 3
    assert retention.run(batch_size=2)["webhook_payloads"] == 3
    assert not WebhookDelivery.objects.exists()


def test_the_scheduler_runs_the_schedule_once_a_day(unit_a):
    from wadul.privacy.tasks import daily_retention

    _payload(31)
    daily_retention.call()
    daily_retention.call()
    assert RetentionRun.objects.count() == 1 and not WebhookDelivery.objects.exists()


def test_contacts_with_no_case_for_two_years_are_anonymised(unit_a):
    case = _closed_long_ago(unit_a, "Budi Santoso")
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - LONG_AGO)
    contact = case.contact
    type(contact).objects.filter(pk=contact.pk).update(created_at=timezone.now() - LONG_AGO)
    active = testing.create_case(unit=unit_a, contact=testing.create_contact("Ani Lestari"))
    retention.run()
    contact.refresh_from_db()
    assert contact.display_name == "" and not contact.identities.exists()
    active.contact.refresh_from_db()
    assert active.contact.display_name == "Ani Lestari"
