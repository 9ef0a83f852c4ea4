"""A letter request's resolution deadline is its service's target in working hours (the
catalogue's, e.g. 4 hours for a pengantar SKCK, 16 for a pengantar nikah), not the kind's
two-day default and not a Target row for village letters: the clock pauses while a
correction is asked, and the case's metrics judge it on time against the same target."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from wadul.cases import services as case_services
from wadul.cases.models import Case, Via
from wadul.desa.models import Service
from wadul.desa.tests.conftest import request_letter
from wadul.sla.models import CaseMetric, Target

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


MONDAY = wib(2026, 1, 19, 8, 0)  # offices open 07:30–16:00


def due(case: Case) -> datetime:
    return Case.objects.get(pk=case.pk).resolution_due_at


def test_each_service_has_its_own_resolution_deadline(desa):
    # An admin's Target row for village letters (10 working days) does not override the
    # catalogue: the service's own target is the more specific one.
    Target.objects.update_or_create(
        case_type="village_letter", unit=None, defaults={"resolution_days": 10}
    )
    assert Service.objects.get(unit=desa, code="skck").target_hours == 4
    assert due(request_letter(desa, at=MONDAY)) == wib(2026, 1, 19, 16, 0)  # domisili, 8 h
    assert due(request_letter(desa, at=MONDAY, layanan="skck")) == wib(2026, 1, 19, 12, 0)
    # 16 hours: Monday's 8, then Tuesday from 07:30.
    assert due(request_letter(desa, at=MONDAY, layanan="nikah")) == wib(2026, 1, 20, 15, 30)
    # A service since removed from the catalogue: the kind's default (2 working days).
    Target.objects.filter(case_type="village_letter").delete()
    assert due(request_letter(desa, at=MONDAY, layanan="dihapus")) != wib(2026, 1, 19, 16, 0)


def test_a_correction_pauses_the_services_clock(desa, desa_operator):
    case = request_letter(desa, at=MONDAY)
    case_services.request_clarification(
        case, text="Foto KTP buram", actor=desa_operator, via=Via.INBOX, at=wib(2026, 1, 19, 10)
    )
    assert due(case) is None
    case_services.receive_message(case, text="Ini fotonya", at=wib(2026, 1, 20, 10, 0))
    # Two hours were used before the pause: six are left from Tuesday 10:00.
    assert due(case) == wib(2026, 1, 20, 16, 0)


def test_the_metrics_judge_a_letter_against_its_services_target(desa, desa_operator):
    on_time = request_letter(desa, at=MONDAY, layanan="skck")
    late = request_letter(desa, at=MONDAY, layanan="skck")
    case_services.resolve(on_time, actor=desa_operator, via=Via.INBOX, at=wib(2026, 1, 19, 11))
    # Within the kind's two days, but after the service's four hours.
    case_services.resolve(late, actor=desa_operator, via=Via.INBOX, at=wib(2026, 1, 19, 15))
    assert CaseMetric.objects.get(case=on_time).resolution_within is True
    assert CaseMetric.objects.get(case=late).resolution_within is False
