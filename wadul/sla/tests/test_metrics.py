"""Metrics from the event log, checked against values computed by hand.

Office hours Mon–Fri 07:30–16:00 (510 working minutes a day); Friday 16 January 2026 is a
national holiday (Isra Mi'raj).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Via
from wadul.sla import metrics
from wadul.sla.models import CaseMetric

WIB = ZoneInfo("Asia/Jakarta")
JANUARY = (datetime(2026, 1, 1, tzinfo=WIB), datetime(2026, 2, 1, tzinfo=WIB))
NOW = datetime(2026, 1, 30, 12, 0, tzinfo=WIB)


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def cases(unit_a, subunit_a, official_a, operator):
    by = {"actor": official_a, "via": Via.INBOX}
    # 1: answered in time, paused for clarification, resolved in time, rated 4.
    one = testing.create_case(unit=unit_a, at=wib(2026, 1, 9, 15, 30))
    services.answer(one, text="Kami cek", at=wib(2026, 1, 12, 8, 30), **by)
    services.request_clarification(one, text="RT berapa?", at=wib(2026, 1, 12, 10, 0), **by)
    services.receive_message(one, text="RT 3", at=wib(2026, 1, 13, 10, 0))
    services.answer(one, text="Dikerjakan", at=wib(2026, 1, 13, 11, 0), **by)
    services.resolve(one, at=wib(2026, 1, 14, 12, 0), **by)
    services.rate(one, rating=4, via=Via.WHATSAPP, at=wib(2026, 1, 14, 13, 0))
    # 2: resolved late without a word to the citizen, reopened, answered, resolved again.
    two = testing.create_case(unit=unit_a, at=wib(2026, 1, 12, 8, 0))
    services.resolve(two, at=wib(2026, 1, 20, 9, 0), **by)
    services.reopen(two, actor=None, via=Via.WHATSAPP, at=wib(2026, 1, 20, 10, 0))
    services.answer(two, text="Maaf, kami tangani", at=wib(2026, 1, 20, 11, 0), **by)
    services.resolve(two, at=wib(2026, 1, 21, 9, 0), **by)
    # 3: spam — not counted.
    three = testing.create_case(unit=unit_a, at=wib(2026, 1, 12, 9, 0))
    services.reject(three, reason="spam", actor=operator, via=Via.INBOX, at=wib(2026, 1, 12, 9))
    # 4: never answered; its first-response deadline (13 Jan 10:00) has passed.
    four = testing.create_case(unit=unit_a, at=wib(2026, 1, 13, 8, 0))
    # 5: in the bidang, answered after ten minutes, still open.
    five = testing.create_case(unit=subunit_a, at=wib(2026, 1, 14, 8, 0))
    services.answer(five, text="Siap", at=wib(2026, 1, 14, 8, 10), **by)
    return one, two, three, four, five


def test_case_metrics_match_hand_computed_values(cases):
    one, two, *_ = cases
    m = metrics.case_metrics(one)
    # Fri 15:30–16:00 + Mon 07:30–08:30 = 90 working minutes; 65 hours of clock time.
    assert m.first_response_working_minutes == 90
    assert m.first_response_clock_minutes == 65 * 60
    assert m.first_response_within_target is True
    assert m.responses == 3  # two answers and the clarification question
    # Working time Fri 15:30 → Wed 12:00 is 30 + 510 + 510 + 270 = 1320 minutes, less the
    # pause Mon 10:00 → Tue 10:00 (510): 810. Clock: 4 days 20.5 hours.
    assert m.resolution_working_minutes == 810
    assert m.resolution_clock_minutes == 4 * 1440 + 20.5 * 60
    assert m.resolution_within_target is True
    assert (m.reopened, m.rating) == (0, 4)

    m = metrics.case_metrics(two)
    # First answered after the reopening: Mon 12 08:00 → Tue 20 11:00 is 480 + 3 × 510
    # (13–15 Jan) + 510 (19 Jan) + 210 = 2730 working minutes; it ended once unanswered.
    assert m.first_response_working_minutes == 2730
    assert m.first_response_clock_minutes == 8 * 1440 + 3 * 60
    assert m.first_response_within_target is False
    assert m.responses == 1
    # Final resolution Wed 21 09:00: 2730 + 300 + 90 = 3120 working minutes; within the
    # new deadline the reopening set.
    assert m.resolution_working_minutes == 3120
    assert m.resolution_clock_minutes == 9 * 1440 + 60
    assert m.resolution_within_target is True
    assert m.reopened == 1


def test_unit_stats_match_hand_computed_values(cases, unit_a, subunit_a):
    (row,) = metrics.unit_stats(*JANUARY, units=[unit_a], now=NOW)
    assert row.unit_id == unit_a.pk
    assert row.received == 4  # the spam case is not counted; the bidang's case is
    assert row.answered == 3
    assert row.first_response_median_working_minutes == 90  # of 10, 90, 2730
    assert row.first_response_median_clock_minutes == 3900  # of 10, 3900, 11700
    # Decided: 1 (in time), 2 (missed), 4 (overdue), 5 (in time).
    assert row.first_response_within_target_share == 0.5
    assert (row.resolved, row.resolved_share) == (2, 0.5)
    assert row.resolution_median_working_minutes == (810 + 3120) / 2
    assert row.resolution_median_clock_minutes == (6990 + 13020) / 2
    assert row.resolution_within_target_share == 0.5  # 1, 2 in time; 4, 5 overdue
    assert row.reopen_rate == 0.5
    assert (row.rating_average, row.rating_count) == (4, 1)
    assert row.open == 2


def test_unit_stats_per_unit_own_cases_and_empty_units(cases, unit_a, subunit_a, unit_b):
    rows = {r.unit_id: r for r in metrics.unit_stats(*JANUARY, now=NOW)}
    assert set(rows) == {unit_a.pk, subunit_a.pk}
    assert (rows[unit_a.pk].received, rows[subunit_a.pk].received) == (3, 1)
    (empty,) = metrics.unit_stats(*JANUARY, units=[unit_b], now=NOW)
    assert (empty.unit_id, empty.received, empty.first_response_within_target_share) == (
        unit_b.pk,
        0,
        None,
    )
    february = metrics.unit_stats(wib(2026, 2, 1), wib(2026, 3, 1), units=[unit_a], now=NOW)
    assert february[0].received == 0


def test_metrics_rows_rebuilt_from_events_equal_the_incremental_ones(cases):
    before = {m.pk: model_to_dict(m) for m in CaseMetric.objects.all()}
    assert len(before) == 5
    CaseMetric.objects.all().delete()
    call_command("sla_rebuild_metrics")
    after = {m.pk: model_to_dict(m) for m in CaseMetric.objects.all()}
    assert after == before


def test_metrics_ignore_case_fields_and_read_only_events(cases):
    one = cases[0]
    expected = metrics.case_metrics(one)
    Case.objects.filter(pk=one.pk).update(first_response_at=None, rating=None)
    assert metrics.case_metrics(Case.objects.get(pk=one.pk)) == expected
