"""The demo regency gets deadlines and metrics, once."""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from wadul.cases.models import OPEN_STATUSES, Case
from wadul.organisation.models import Unit
from wadul.sla import config
from wadul.sla.models import CaseMetric, Escalation


def sla_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("sla").get_models()}


def test_demo_cases_get_deadlines_and_metrics_and_a_second_load_changes_nothing():
    call_command("load_demo", cases=40, quiet_logins=True)
    first = sla_counts()
    # The 40 generated cases, and the PPID demo's requests at their stages: each has its metric.
    assert CaseMetric.objects.count() == Case.objects.count() >= 40
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    assert open_cases.exclude(resolution_due_at=None).exists()
    # History notifies nobody: past steps are recorded as skipped. Only a case that is late
    # now (the PPID demo's requests still waiting for their first answer) escalates, as a
    # live one would (`fire_late_steps`).
    now = timezone.now()
    late = open_cases.filter(
        Q(first_response_at__isnull=True, first_response_due_at__lt=now)
        | Q(resolution_due_at__lt=now)
    )
    fired = Escalation.objects.filter(state=Escalation.State.FIRED)
    assert not fired.exclude(case__in=late).exists()
    assert Escalation.objects.filter(state=Escalation.State.SKIPPED).exists()
    # The command centre answers round the clock.
    centre = Unit.objects.get(code="PENGADUAN")
    assert config.current().calendar(centre.pk).always_open

    call_command("load_demo", cases=40, quiet_logins=True)
    assert sla_counts() == first
