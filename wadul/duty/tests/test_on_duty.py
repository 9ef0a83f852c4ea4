from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from wadul import testing
from wadul.duty.models import OnDutyShift
from wadul.duty.services import on_duty
from wadul.organisation.models import Official

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=WIB)  # a Monday
MONDAY_22 = datetime(2026, 3, 2, 22, 0, tzinfo=WIB)


def test_the_shift_covering_the_moment_wins(official_a, head_a, unit_a):
    OnDutyShift.objects.create(
        unit=unit_a, official=official_a, weekday=0, start_time=time(7), end_time=time(16)
    )
    assert on_duty(unit_a, MONDAY_9) == [official_a]


def test_outside_every_shift_the_head_is_on_duty(official_a, head_a, unit_a):
    OnDutyShift.objects.create(
        unit=unit_a, official=official_a, weekday=0, start_time=time(7), end_time=time(16)
    )
    assert on_duty(unit_a, MONDAY_22) == [head_a]


def test_a_night_shift_runs_past_midnight(official_a, unit_a):
    OnDutyShift.objects.create(
        unit=unit_a, official=official_a, start_time=time(20), end_time=time(6)
    )
    assert on_duty(unit_a, MONDAY_22) == [official_a]
    assert on_duty(unit_a, datetime(2026, 3, 3, 5, 0, tzinfo=WIB)) == [official_a]


def test_priority_orders_and_dates_limit(official_a, head_a, unit_a):
    second = testing.create_official("budi", unit=unit_a)
    OnDutyShift.objects.create(unit=unit_a, official=second, priority=2)
    OnDutyShift.objects.create(unit=unit_a, official=official_a, priority=1)
    OnDutyShift.objects.create(
        unit=unit_a,
        official=head_a,
        priority=0,
        start_date=date(2026, 4, 1),
        end_date=date(2026, 4, 7),
    )
    assert on_duty(unit_a, MONDAY_9) == [official_a, second]


def test_inactive_officials_are_skipped_and_a_headless_unit_falls_back_upwards(
    official_a, subunit_a, head_a
):
    Official.objects.filter(pk=official_a.pk).update(is_active=False)
    OnDutyShift.objects.create(unit=subunit_a, official=official_a)
    assert on_duty(subunit_a, MONDAY_9) == [head_a]
