"""The demo has a DPO: the PDP unit on round-the-clock hours and its head with the DPO
permission (load_demo calls this; a second run changes nothing)."""

from __future__ import annotations

from wadul.demo.privacy import load_privacy
from wadul.organisation.models import Unit
from wadul.privacy import services
from wadul.sla.models import UnitSchedule


def test_the_demo_dpo_heads_a_round_the_clock_unit(regency):
    first = load_privacy({"DISKOMINFO": regency})
    again = load_privacy({"DISKOMINFO": regency})
    assert first == again and services.is_dpo(again)
    unit = Unit.objects.get(code="PDP")
    assert again.unit == unit and unit.parent == regency
    schedule = UnitSchedule.objects.get(unit=unit).schedule
    assert schedule.always_open and not schedule.observes_holidays
