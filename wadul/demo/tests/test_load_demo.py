from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from wadul.cases.models import Case, CaseEvent, CaseType, Status, Visibility
from wadul.organisation.models import Official, Unit, WhatsAppNumber


def table_rows() -> dict[str, list[dict]]:
    """Every row of every Wadul table the demo writes to, in primary-key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for config in apps.get_app_configs()
        if config.name.startswith("wadul.")
        for model in config.get_models()
    }


@pytest.mark.django_db
def test_demo_loads_a_realistic_regency_and_a_second_run_changes_nothing(capsys):
    call_command("load_demo")
    first = table_rows()
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses >= {s.value for s in Status} - {Status.RECEIVED}
    assert Case.objects.count() >= 300
    now = timezone.now()
    # "the past 60 days": opened at a working hour of a day up to 60 days back
    assert not Case.objects.exclude(created_at__range=(now - timedelta(days=61), now)).exists()
    assert not Case.objects.filter(messages__isnull=True).exists()
    assert not Case.objects.filter(events__isnull=True).exists()
    assert set(Case.objects.values_list("type", flat=True)) == set(CaseType.values)
    assert set(Case.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    desk = Unit.objects.get(kind=Unit.Kind.CENTRAL_DESK)
    assert desk.parent.code == "DISKOMINFO"
    assert Unit.objects.filter(kind=Unit.Kind.BIDANG).count() >= 3
    assert Unit.objects.filter(kind=Unit.Kind.KECAMATAN).count() == 25
    assert Unit.objects.filter(kind=Unit.Kind.DESA).count() == 217
    assert Unit.objects.filter(kind=Unit.Kind.EXTERNAL).count() >= 5
    assert WhatsAppNumber.objects.filter(is_central=True).count() == 1
    assert WhatsAppNumber.objects.filter(coexistence=True).exists()
    assert Official.objects.get(username="pu.jalan").check_password("wadul-demo")
    from wadul.duty.services import on_duty

    road_unit = Unit.objects.get(code="DPU-CK-BM")
    assert [o.username for o in on_duty(road_unit)] == ["pu.jalan"]
    assert on_duty(road_unit)[0].whatsapp_number
    assert CaseEvent.objects.filter(kind="rated").exists()
    out = capsys.readouterr().out
    assert "operator" in out and "wadul-demo" in out

    call_command("load_demo")
    second = table_rows()
    assert {label: len(rows) for label, rows in second.items()} == {
        label: len(rows) for label, rows in first.items()
    }
    assert second == first
    assert "0 new cases" in capsys.readouterr().out
