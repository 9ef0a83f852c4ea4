from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from wadul.cases.models import Case, CaseEvent, Status
from wadul.organisation.models import Official, Unit, WhatsAppNumber


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("organisation", "cases", "duty")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.django_db
def test_demo_loads_a_realistic_regency_and_a_second_run_changes_nothing(capsys):
    call_command("load_demo")
    first = table_counts()
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses >= {s.value for s in Status} - {Status.RECEIVED}
    assert Case.objects.count() >= 300
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
    assert table_counts() == first
    assert "0 new cases" in capsys.readouterr().out
