"""A personal-data request runs 3 × 24 hours of clock time on the DPO's round-the-clock unit
(nights, weekends and holidays count), warns before and escalates to the DPO after."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from wadul import testing
from wadul.cases import services as cases
from wadul.cases.models import Via
from wadul.organisation.models import Official
from wadul.sla import services as clock
from wadul.sla.models import Notification, Schedule, UnitSchedule

WIB = ZoneInfo("Asia/Jakarta")
# Christmas Eve, a Thursday evening: the next three days are a holiday and a weekend.
THURSDAY_EVENING = datetime(2026, 12, 24, 19, 0, tzinfo=WIB)


def test_the_request_is_due_in_72_clock_hours_and_escalates_to_the_dpo(regency):
    pdp = testing.create_unit("Pejabat PDP", parent=regency, code="PDP")
    always = Schedule.objects.create(name="PDP 24 jam", always_open=True, observes_holidays=False)
    UnitSchedule.objects.create(unit=pdp, schedule=always)
    dpo = testing.create_official("dewi", unit=pdp, role=Official.Role.HEAD)
    staff = testing.create_official("rina", unit=pdp)
    request = testing.create_case(
        unit=pdp, type="personal_data", at=THURSDAY_EVENING, details={"hak": "akses"}
    )
    cases.assign(request, actor=dpo, via=Via.INBOX, official=staff)
    cases.answer(request, text="Sedang kami siapkan", actor=staff, via=Via.INBOX)
    request.refresh_from_db()
    assert request.resolution_due_at == THURSDAY_EVENING + timedelta(hours=72)

    clock.sweep(now=THURSDAY_EVENING + timedelta(hours=64))
    warned = Notification.objects.filter(case=request, kind="warning", deadline="resolution")
    assert list(warned.values_list("recipient__username", flat=True)) == ["rina"]
    clock.sweep(now=THURSDAY_EVENING + timedelta(hours=74, minutes=1))
    escalated = Notification.objects.filter(case=request, kind="escalated")
    assert "dewi" in set(escalated.values_list("recipient__username", flat=True))
