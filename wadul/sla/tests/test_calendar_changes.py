"""Changing the calendar (admin or code) recomputes the open deadlines it affects."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, CaseType, Via
from wadul.sla.models import (
    Closure,
    Escalation,
    LocalHoliday,
    Schedule,
    ScheduleHours,
    Target,
    UnitSchedule,
)

WIB = ZoneInfo("Asia/Jakarta")
FRIDAY = datetime(2026, 1, 9, 15, 30, tzinfo=WIB)


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def due(case: Case) -> datetime:
    return Case.objects.get(pk=case.pk).first_response_due_at


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_new_local_holiday_moves_an_open_deadline(
    unit_a, immediate_tasks, django_capture_on_commit_callbacks
):
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    assert due(case) == wib(2026, 1, 12, 9, 0)
    with django_capture_on_commit_callbacks(execute=True):
        holiday = LocalHoliday.objects.create(date=date(2026, 1, 12), name="Hari Jadi")
    assert due(case) == wib(2026, 1, 13, 9, 0)
    # The pending ladder moved with it.
    pending = Escalation.objects.filter(case=case, state=Escalation.State.PENDING)
    assert wib(2026, 1, 13, 9, 0) in set(pending.values_list("due_at", flat=True))
    assert wib(2026, 1, 12, 9, 0) not in set(pending.values_list("due_at", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        holiday.delete()
    assert due(case) == wib(2026, 1, 12, 9, 0)


def test_giving_a_unit_round_the_clock_hours_moves_only_its_cases(
    unit_a, unit_b, immediate_tasks, django_capture_on_commit_callbacks
):
    case_a = testing.create_case(unit=unit_a, at=FRIDAY)
    case_b = testing.create_case(unit=unit_b, at=FRIDAY)
    with django_capture_on_commit_callbacks(execute=True):
        UnitSchedule.objects.create(unit=unit_a, schedule=Schedule.objects.get(name="24 jam"))
    assert due(case_a) == wib(2026, 1, 9, 17, 30)
    assert due(case_b) == wib(2026, 1, 12, 9, 0)


def test_changing_office_hours_moves_deadlines(
    unit_a, immediate_tasks, django_capture_on_commit_callbacks
):
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    office = Schedule.objects.get(is_default=True)
    with django_capture_on_commit_callbacks(execute=True):
        ScheduleHours.objects.filter(schedule=office, weekday=0).update(opens="08:00")
        # `update()` sends no signal; saving a row does (the admin saves rows).
        monday = ScheduleHours.objects.get(schedule=office, weekday=0)
        monday.save()
    assert due(case) == wib(2026, 1, 12, 9, 30)


def test_a_closure_and_a_target_change_move_deadlines(
    unit_a, immediate_tasks, django_capture_on_commit_callbacks
):
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    with django_capture_on_commit_callbacks(execute=True):
        Closure.objects.create(
            starts_at=wib(2026, 1, 12, 7, 0), ends_at=wib(2026, 1, 12, 12, 0), reason="Pindahan"
        )
    assert due(case) == wib(2026, 1, 12, 13, 30)
    with django_capture_on_commit_callbacks(execute=True):
        target = Target.objects.get(case_type=CaseType.COMPLAINT, unit=None)
        target.first_response_minutes = 60
        target.save()
    assert due(case) == wib(2026, 1, 12, 12, 30)


def test_closed_cases_are_left_alone(unit_a, official_a, immediate_tasks):
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    services.resolve(case, actor=official_a, via=Via.INBOX, at=wib(2026, 1, 12, 8, 0))
    LocalHoliday.objects.create(date=date(2026, 1, 12), name="Hari Jadi")
    call_command("sla_recompute")
    assert due(case) is None


def test_sla_recompute_command_applies_the_calendar_now(unit_a, capsys):
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    # Written behind the clock's back (no signal): the command puts it right.
    Case.objects.filter(pk=case.pk).update(first_response_due_at=None)
    call_command("sla_recompute", unit=["DPU"])
    assert due(case) == wib(2026, 1, 12, 9, 0)
    assert "1 open cases" in capsys.readouterr().out
