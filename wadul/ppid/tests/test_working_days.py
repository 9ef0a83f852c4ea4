"""The PPID's deadlines are whole working days (UU 14/2008 counts days): the close of the
unit's business on the Nth working day after the day of receipt, which itself never counts.
The case's clock says the same date as the request's file."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from wadul.cases.models import Case, Via
from wadul.ppid import services
from wadul.ppid.models import PpidRequest
from wadul.sla.models import Schedule, ScheduleHours, UnitSchedule

from .test_intake import ask

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def received(pigeon, citizen, at) -> PpidRequest:
    return PpidRequest.objects.get(case=ask(pigeon, citizen, at=at))


def due_on_the_clock(request: PpidRequest) -> datetime:
    return Case.objects.get(pk=request.case_id).resolution_due_at


@pytest.fixture
def short_fridays(kominfo, pelaksana):
    """Banyuwangi's office hours: 07:30–16:00, Friday 07:30–11:00, for both desks."""
    schedule = Schedule.objects.create(name="Jumat pendek")
    for weekday in range(5):
        ScheduleHours.objects.create(
            schedule=schedule,
            weekday=weekday,
            opens=time(7, 30),
            closes=time(11, 0) if weekday == 4 else time(16, 0),
        )
    for unit in (kominfo, pelaksana):
        UnitSchedule.objects.create(unit=unit, schedule=schedule)
    return schedule


def test_a_short_friday_is_a_whole_day_for_the_notice_and_the_extension(
    pigeon, citizen, short_fridays, ppid_utama, official_a, pelaksana
):
    # Received Monday 14 Dec 2026; 24 Dec (cuti bersama) and 25 Dec (Natal) do not count.
    request = received(pigeon, citizen, wib(2026, 12, 14, 9, 0))
    assert request.notice_due_at == wib(2026, 12, 30, 16, 0) == due_on_the_clock(request)
    services.forward(
        request, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX, at=wib(2026, 12, 14, 10)
    )
    request = services.extend(
        request, reason="Arsip di gudang", actor=official_a, via="inbox", at=wib(2026, 12, 15, 9)
    )
    # +7 working days: 1 Jan and 5 Jan 2027 (Isra Mikraj) skipped. Counting working minutes
    # (450 a day, Fridays 210) it was 13 Jan.
    assert request.notice_due_at == wib(2027, 1, 12, 16, 0) == due_on_the_clock(request)
    assert "12 Januari 2027" in request.letters.get(code="extension").context["due"]


def test_a_deadline_on_a_short_friday_ends_at_its_closing_time(pigeon, citizen, short_fridays):
    # Thursday 7 Jan 2027 + 10 working days (no holiday): Thursday 21 Jan; from Friday 8
    # Jan: Friday 22 Jan, 11:00.
    request = received(pigeon, citizen, wib(2027, 1, 8, 8, 0))
    assert request.notice_due_at == wib(2027, 1, 22, 11, 0) == due_on_the_clock(request)


def test_after_hours_and_on_a_saturday_day_one_is_the_next_working_day(pigeon, citizen, kominfo):
    # Friday 4 Dec 2026 at 20:00: Monday 7 Dec is day 1, Friday 18 Dec day 10.
    late = received(pigeon, citizen, wib(2026, 12, 4, 20, 0))
    assert late.notice_due_at == wib(2026, 12, 18, 16, 0) == due_on_the_clock(late)


def test_a_request_on_a_saturday_counts_from_monday(pigeon, citizen, kominfo):
    saturday = received(pigeon, citizen, wib(2026, 12, 5, 10, 0))
    assert saturday.notice_due_at == wib(2026, 12, 18, 16, 0) == due_on_the_clock(saturday)


def test_the_working_days_taken_count_as_the_deadlines_do(pigeon, citizen, kominfo, ppid_utama):
    request = received(pigeon, citizen, wib(2026, 12, 11, 15, 0))  # Friday
    request = services.decide(
        request,
        decision=PpidRequest.Decision.GRANTED,
        actor=ppid_utama,
        via="inbox",
        at=wib(2026, 12, 14, 8, 0),  # Monday: day 1
    )
    assert request.working_days == 1 and request.on_time is True
    # The requester's 30 working days to object: across Natal, the cuti bersama, New
    # Year's Day and Isra Mikraj.
    assert request.objection_until == wib(2027, 1, 29, 16, 0)


def test_days_waiting_for_completion_do_not_count_and_the_file_follows_the_clock(
    pigeon, citizen, kominfo, ppid_utama
):
    request = received(pigeon, citizen, wib(2026, 12, 7, 9, 0))  # Monday
    assert request.notice_due_at == wib(2026, 12, 21, 16, 0)
    services.ask_completion(
        request,
        text="Sebutkan tahun anggaran.",
        actor=ppid_utama,
        via="inbox",
        at=wib(2026, 12, 8, 10, 0),
    )
    # Answered Thursday 10 Dec: Tuesday to Thursday do not count, Friday 11 is day 1, and
    # day 10 is Monday 28 (24 and 25 Dec skipped) instead of Monday 21.
    pigeon.receive(citizen, "Tahun anggaran 2026", at=wib(2026, 12, 10, 13, 0))
    request.refresh_from_db()
    assert request.stage == PpidRequest.Stage.FORWARDED
    assert request.notice_due_at == due_on_the_clock(request) == wib(2026, 12, 28, 16, 0)
