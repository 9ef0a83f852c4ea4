"""Changing the on-duty schedule: every change through `duty.services` leaves a `DutyEvent`."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from wadul import testing
from wadul.duty import services
from wadul.duty.models import DutyEvent, OnDutyShift

K = DutyEvent.Kind
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=WIB)  # a Monday


def test_adding_and_ending_a_shift_are_logged_with_its_terms(head_a, official_a, unit_a):
    shift = services.add_shift(
        unit=unit_a,
        official=official_a,
        weekday=0,
        start_time=time(7, 30),
        end_time=time(16),
        actor=head_a,
        via="inbox",
    )
    assert services.on_duty(unit_a, MONDAY_9) == [official_a]
    services.end_shift(shift, actor=head_a, via="inbox")
    assert not OnDutyShift.objects.exists()
    added, ended = DutyEvent.objects.order_by("pk")
    assert (added.kind, ended.kind) == (K.SHIFT_ADDED, K.SHIFT_ENDED)
    assert (ended.unit, ended.official, ended.actor, ended.via) == (
        unit_a,
        official_a,
        head_a,
        "inbox",
    )
    assert ended.data["start_time"] == "07:30:00" and ended.data["weekday"] == 0


def test_a_hand_over_puts_the_colleague_first_until_midnight(official_a, unit_a):
    services.add_shift(unit=unit_a, official=official_a, actor=None, via="admin")
    colleague = testing.create_official("agus", unit=unit_a)
    shift = services.hand_over(
        unit=unit_a, to=colleague, actor=official_a, via="relay", at=MONDAY_9
    )
    assert services.on_duty(unit_a, MONDAY_9) == [colleague, official_a]
    assert (shift.start_time, shift.end_time, shift.priority) == (time(9), time(23, 59), 0)
    event = DutyEvent.objects.get(kind=K.HANDED_OVER)
    assert (event.shift, event.official, event.actor, event.via) == (
        shift,
        colleague,
        official_a,
        "relay",
    )
