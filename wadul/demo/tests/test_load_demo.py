from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from wadul.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseType, Status, Visibility
from wadul.organisation.models import Official, Region, Unit, WhatsAppNumber
from wadul.routing.models import RegionBoundary


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
    # "a month of history": opened at a working hour of a day up to 30 days back
    assert not Case.objects.exclude(created_at__range=(now - timedelta(days=31), now)).exists()
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
    assert_a_well_run_regency(now)
    assert_a_ppid()
    units = Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).count()
    assert f"Demo regency loaded: {units} units" in out  # as many as the home page says

    call_command("load_demo")
    second = table_rows()
    assert {label: len(rows) for label, rows in second.items()} == {
        label: len(rows) for label, rows in first.items()
    }
    assert second == first
    assert "0 new cases" in capsys.readouterr().out


def assert_a_ppid() -> None:
    """Diskominfo is PPID Utama, the Sekda atasan, OPDs Pelaksana; DIP items of the four
    categories; requests at each stage; serta merta subscribers on the central number."""
    from wadul.ppid.models import Desk, DipItem, PpidRequest, Subscriber

    assert Desk.objects.get(role="utama").unit.code == "DISKOMINFO"
    assert Desk.objects.get(role="atasan").unit.code == "SEKDA"
    assert Desk.objects.filter(role="pelaksana").count() >= 20
    assert set(DipItem.objects.values_list("category", flat=True)) == set(DipItem.Category)
    stages = set(PpidRequest.objects.values_list("stage", flat=True))
    assert {"received", "forwarded", "decided", "objected"} <= stages
    subscribers = Subscriber.objects.filter(active=True, channel="whatsapp")
    assert subscribers.count() == 3 and not subscribers.exclude(number__is_central=True).exists()


def assert_a_well_run_regency(now) -> None:
    """Most cases answered on time, taken by an official and rated; a few late and escalated;
    canned answers for each answering unit; maps and pins from the shipped boundaries."""
    from wadul.portal.maps import cases_map
    from wadul.routing.boundaries import region_at
    from wadul.sla import metrics
    from wadul.sla.models import Notification

    [regency] = metrics.unit_stats(
        now - timedelta(days=31), now, units=[Unit.objects.get(code="PEMKAB")]
    )
    assert regency.first_response_within_target_share >= 0.85
    assert regency.rating_count >= regency.received / 2
    road = Case.objects.filter(unit__code="DPU-CK-BM")
    assert road.count() >= 10
    assert road.filter(assigned_to__isnull=False).count() >= 0.75 * road.count()
    late = Case.objects.filter(
        status__in=OPEN_STATUSES, first_response_at__isnull=True, first_response_due_at__lt=now
    )
    assert 1 <= late.count() <= 0.1 * Case.objects.count()
    assert Notification.objects.filter(kind="escalated").exists()
    answering = Unit.objects.exclude(kind__in=[Unit.Kind.DESA, Unit.Kind.EXTERNAL, "regency"])
    assert not answering.exclude(canned_answers__isnull=False).exists()
    assert RegionBoundary.objects.filter(region__level=Region.Level.DESA).count() == 217
    assert region_at(-8.2135, 114.3542).level == Region.Level.DESA  # a pin maps to its desa
    assert "<path" in cases_map({}, Region.Level.KECAMATAN, label="peta")
    # The README's path: the Bina Marga number reaches pu.jalan's unit.
    road_number = WhatsAppNumber.objects.get(display_number="+62 811-3500-202")
    assert road_number.unit.code == "DPU-CK-BM"
