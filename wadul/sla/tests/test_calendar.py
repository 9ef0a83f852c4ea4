"""Working-time arithmetic, pure (no database)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from wadul.sla import calendar as cal

WIB = ZoneInfo("Asia/Jakarta")
OFFICE = cal.WorkingCalendar.office_hours(
    {d: [(time(7, 30), time(16, 0))] for d in range(5)}, tz=WIB
)


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_friday_afternoon_plus_two_working_hours_is_monday_nine():
    # The acceptance example: opened Friday 15:30, office 07:30–16:00 Mon–Fri.
    assert cal.add(OFFICE, wib(2026, 1, 9, 15, 30), 120) == wib(2026, 1, 12, 9, 0)


def test_a_target_used_up_at_closing_time_is_due_at_closing_time():
    assert cal.add(OFFICE, wib(2026, 1, 9, 15, 30), 30) == wib(2026, 1, 9, 16, 0)


def test_zero_minutes_outside_office_hours_is_the_next_opening():
    assert cal.add(OFFICE, wib(2026, 1, 10, 12, 0), 0) == wib(2026, 1, 12, 7, 30)


def test_idul_fitri_2026_and_its_cuti_bersama_are_skipped():
    # holidays 0.109, Indonesia 2026: 18 Mar cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama
    # Idul Fitri, 21–22 Idul Fitri (weekend), 23–24 cuti bersama Idul Fitri.
    days = cal.national_holidays(2026)
    for day in (18, 19, 20, 21, 22, 23, 24):
        assert date(2026, 3, day) in days
    assert "Cuti Bersama Hari Raya Idul Fitri" in days[date(2026, 3, 20)]
    # Opened Tuesday 17 March 15:30: 30 minutes that day, then nothing until Wednesday 25.
    assert cal.add(OFFICE, wib(2026, 3, 17, 15, 30), 120) == wib(2026, 3, 25, 9, 0)
    assert cal.between(OFFICE, wib(2026, 3, 17, 15, 30), wib(2026, 3, 25, 9, 0)) == 120 * 60


def test_idul_fitri_2027_as_the_holidays_package_estimates_it():
    # 8 Mar Nyepi, 9 cuti bersama, 10–11 Idul Fitri (estimated), 12 and 15 cuti bersama.
    days = cal.national_holidays(2027)
    for day in (8, 9, 10, 11, 12, 15):
        assert date(2027, 3, day) in days
    assert cal.add(OFFICE, wib(2027, 3, 5, 15, 30), 120) == wib(2027, 3, 16, 9, 0)


def test_five_working_days_keep_the_time_of_day():
    five_days = 5 * OFFICE.day_minutes
    assert OFFICE.day_minutes == 510
    assert cal.add(OFFICE, wib(2026, 1, 23, 15, 30), five_days) == wib(2026, 1, 30, 15, 30)
    # Friday 16 January 2026 is Isra Mi'raj: one more day.
    assert cal.add(OFFICE, wib(2026, 1, 9, 15, 30), five_days) == wib(2026, 1, 19, 15, 30)


def test_local_holidays_and_closures_are_not_working_time():
    closed = cal.WorkingCalendar.office_hours(
        {d: [(time(7, 30), time(16, 0))] for d in range(5)},
        tz=WIB,
        local_holidays=frozenset({date(2026, 1, 12)}),
        closures=((wib(2026, 1, 13, 7, 0), wib(2026, 1, 13, 12, 0)),),
    )
    # Friday 15:30 → 30 min; Monday is a local holiday; Tuesday opens at 12:00.
    assert cal.add(closed, wib(2026, 1, 9, 15, 30), 120) == wib(2026, 1, 13, 13, 30)


def test_pauses_as_closures_shift_a_deadline_by_the_paused_working_time():
    paused = OFFICE.with_closures([(wib(2026, 1, 12, 9, 0), wib(2026, 1, 12, 10, 0))])
    assert cal.add(paused, wib(2026, 1, 12, 8, 0), 120) == wib(2026, 1, 12, 11, 0)
    assert cal.between(paused, wib(2026, 1, 12, 8, 0), wib(2026, 1, 12, 11, 0)) == 120 * 60


def test_lunch_breaks_and_short_fridays():
    hours = {d: [(time(7, 30), time(12, 0)), (time(13, 0), time(16, 0))] for d in range(4)}
    hours[4] = [(time(7, 30), time(11, 0))]
    banyuwangi = cal.WorkingCalendar.office_hours(hours, tz=WIB)
    assert banyuwangi.day_minutes == 450
    assert cal.add(banyuwangi, wib(2026, 1, 8, 11, 0), 120) == wib(2026, 1, 8, 14, 0)
    assert cal.add(banyuwangi, wib(2026, 1, 9, 10, 30), 60) == wib(2026, 1, 12, 8, 0)


def test_negative_minutes_walk_back_over_the_weekend():
    assert cal.add(OFFICE, wib(2026, 1, 12, 8, 0), -60) == wib(2026, 1, 9, 15, 30)
    assert cal.add(OFFICE, wib(2026, 1, 12, 9, 0), -30) == wib(2026, 1, 12, 8, 30)


def test_round_the_clock_ignores_nights_weekends_and_holidays():
    command_centre = cal.WorkingCalendar.twenty_four_seven(tz=WIB)
    assert cal.add(command_centre, wib(2026, 3, 20, 23, 30), 120) == wib(2026, 3, 21, 1, 30)
    assert command_centre.day_minutes == 1440
    assert cal.between(command_centre, wib(2026, 3, 20), wib(2026, 3, 21)) == 86400


def test_round_the_clock_can_observe_holidays():
    camat = cal.WorkingCalendar.twenty_four_seven(tz=WIB, observes_holidays=True)
    assert cal.add(camat, wib(2026, 3, 17, 23, 0), 120) == wib(2026, 3, 25, 1, 0)


def test_working_time_between_counts_only_office_hours():
    assert cal.between(OFFICE, wib(2026, 1, 9, 15, 30), wib(2026, 1, 12, 9, 0)) == 120 * 60
    assert cal.between(OFFICE, wib(2026, 1, 12, 9, 0), wib(2026, 1, 9, 15, 30)) == 0
    assert cal.is_working(OFFICE, wib(2026, 1, 12, 9, 0))
    assert not cal.is_working(OFFICE, wib(2026, 1, 10, 9, 0))


def test_a_calendar_without_working_time_refuses_instead_of_looping():
    never = cal.WorkingCalendar.office_hours({}, tz=WIB)
    with pytest.raises(cal.CalendarError):
        cal.add(never, wib(2026, 1, 9), 60)


# --- whole working days (deadlines the law counts in days) ----------------------------------

SHORT_FRIDAY = cal.WorkingCalendar.office_hours(
    {**{d: [(time(7, 30), time(16, 0))] for d in range(4)}, 4: [(time(7, 30), time(11, 0))]},
    tz=WIB,
)


def test_whole_days_end_at_closing_time_and_skip_christmas_cuti_bersama_and_isra_mikraj():
    # Received Monday 14 Dec 2026: 24 Dec (cuti bersama) and 25 Dec (Natal) do not count.
    received = wib(2026, 12, 14, 9, 0)
    assert cal.add_days(OFFICE, received, 10) == wib(2026, 12, 30, 16, 0)
    # 7 more: 1 Jan (Tahun Baru) and 5 Jan 2027 (Isra Mikraj) do not count.
    assert cal.add_days(OFFICE, received, 17) == wib(2027, 1, 12, 16, 0)


def test_a_short_friday_is_a_whole_day():
    received = wib(2026, 12, 14, 9, 0)
    assert cal.add_days(SHORT_FRIDAY, received, 17) == wib(2027, 1, 12, 16, 0)
    # Working minutes would stretch it: each short Friday counts as part of a day.
    assert cal.add(SHORT_FRIDAY, received, 17 * SHORT_FRIDAY.day_minutes) > wib(2027, 1, 13)
    # A deadline landing on a Friday ends at the Friday's own closing time.
    assert cal.add_days(SHORT_FRIDAY, wib(2026, 1, 8, 9, 0), 1) == wib(2026, 1, 9, 11, 0)


def test_the_day_of_receipt_never_counts_even_after_hours_or_on_a_weekend():
    thursday_after_hours = wib(2026, 1, 8, 19, 0)
    saturday = wib(2026, 1, 10, 10, 0)
    # Day 1 is the next working day after the day of receipt.
    assert cal.add_days(OFFICE, thursday_after_hours, 1) == wib(2026, 1, 9, 16, 0)
    assert cal.add_days(OFFICE, wib(2026, 1, 8, 7, 0), 1) == wib(2026, 1, 9, 16, 0)
    assert cal.add_days(OFFICE, saturday, 1) == wib(2026, 1, 12, 16, 0)
    # Across a weekend: Friday's day 1 is Monday.
    assert cal.add_days(OFFICE, wib(2026, 1, 9, 10, 0), 1) == wib(2026, 1, 12, 16, 0)
    assert cal.working_days(OFFICE, saturday, wib(2026, 1, 12, 8, 0)) == 1
    assert cal.working_days(OFFICE, wib(2026, 1, 12, 8, 0), wib(2026, 1, 12, 15, 0)) == 0


def test_a_paused_day_and_a_whole_day_closure_do_not_count_but_a_short_closure_does():
    monday = wib(2026, 1, 19, 9, 0)
    assert cal.add_days(OFFICE, monday, 2) == wib(2026, 1, 21, 16, 0)
    # Waiting for the requester from Tuesday 10:00 to Wednesday 9:00: both days lost.
    waiting = [(wib(2026, 1, 20, 10, 0), wib(2026, 1, 21, 9, 0))]
    assert cal.add_days(OFFICE, monday, 2, pauses=waiting) == wib(2026, 1, 23, 16, 0)
    closed = OFFICE.with_closures(
        [
            (wib(2026, 1, 20, 0, 0), wib(2026, 1, 21, 0, 0)),  # the office closed all Tuesday
            (wib(2026, 1, 21, 12, 0), wib(2026, 1, 21, 13, 0)),  # an hour on Wednesday
        ]
    )
    assert cal.add_days(closed, monday, 2) == wib(2026, 1, 22, 16, 0)
