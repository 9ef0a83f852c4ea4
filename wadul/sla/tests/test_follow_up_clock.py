"""The clock's shortcuts store exactly what a full replay of the case's events stores.

A citizen's follow-up while a response clock runs skips the replay, and opening a case
replays once (not after `opened` and again after `assigned`); after every step of a long
case the stored deadlines, metrics and pending ladder must equal a fresh replay's.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, Via
from wadul.sla import services as clock
from wadul.sla.models import CaseMetric, Escalation

WIB = ZoneInfo("Asia/Jakarta")
DEADLINES = ("first_response_due_at", "next_response_due_at", "resolution_due_at")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def stored(case: Case) -> tuple:
    """What the clock keeps for a case: deadlines, metrics row, pending ladder."""
    row = Case.objects.values(*DEADLINES).get(pk=case.pk)
    metric = CaseMetric.objects.filter(case_id=case.pk).values().first() or {}
    metric.pop("id", None)
    ladder = set(
        Escalation.objects.filter(case_id=case.pk, state=Escalation.State.PENDING).values_list(
            "deadline", "due_at", "step_id", "fire_at"
        )
    )
    return row, metric, ladder


def assert_as_replayed(case: Case) -> None:
    before = stored(case)
    clock.refresh(Case.objects.get(pk=case.pk), trust_instance=False)
    assert stored(case) == before


def event_reads(queries) -> int:
    return sum(
        1 for q in queries if q["sql"].startswith("SELECT") and 'FROM "cases_caseevent"' in q["sql"]
    )


def test_every_step_of_a_long_case_stores_what_a_replay_stores(unit_a, unit_b, official_a):
    case = testing.create_case(unit=unit_a, at=wib(2026, 1, 19, 8, 0))  # a Monday
    assert_as_replayed(case)
    steps = [
        lambda: services.receive_message(case, text="Halo?", at=wib(2026, 1, 19, 8, 10)),
        lambda: services.receive_message(case, text="Ada foto", at=wib(2026, 1, 19, 8, 20)),
        lambda: services.request_clarification(
            case, text="RT berapa?", actor=official_a, via=Via.INBOX, at=wib(2026, 1, 19, 9)
        ),
        lambda: services.receive_message(case, text="RT 3", at=wib(2026, 1, 21, 9, 30)),
        lambda: services.receive_message(case, text="RW 2", at=wib(2026, 1, 21, 9, 40)),
        lambda: services.answer(
            case, text="Kami cek", actor=official_a, via=Via.INBOX, at=wib(2026, 1, 21, 10)
        ),
        lambda: services.receive_message(case, text="Kapan?", at=wib(2026, 1, 21, 10, 30)),
        lambda: services.receive_message(case, text="Halo?", at=wib(2026, 1, 21, 10, 45)),
        lambda: services.transfer(
            case,
            to_unit=unit_b,
            reason="Bukan kewenangan",
            actor=None,
            via=Via.INBOX,
            at=wib(2026, 1, 21, 11),
        ),
        lambda: services.receive_message(case, text="Jadi?", at=wib(2026, 1, 21, 11, 30)),
        lambda: services.answer(case, text="Besok", actor=None, via=Via.INBOX, at=wib(2026, 1, 22)),
        lambda: services.resolve(case, actor=None, via=Via.INBOX, at=wib(2026, 1, 22, 13)),
        lambda: services.reopen(case, actor=None, via=Via.WHATSAPP, at=wib(2026, 1, 23, 8)),
        lambda: services.receive_message(case, text="Belum", at=wib(2026, 1, 23, 8, 10)),
        lambda: services.receive_message(case, text="Masih", at=wib(2026, 1, 23, 8, 20)),
    ]
    for step in steps:
        step()
        assert_as_replayed(case)


def test_a_follow_up_on_a_triage_case_stores_what_a_replay_stores(central_desk):
    case = testing.create_case(unit=None, at=wib(2026, 1, 19, 8, 0))
    services.receive_message(case, text="Halo?", at=wib(2026, 1, 19, 9, 0))
    assert_as_replayed(case)


def test_a_follow_up_while_a_response_clock_runs_skips_the_replay(unit_a, official_a):
    case = testing.create_case(unit=unit_a, at=wib(2026, 1, 19, 8, 0))
    with CaptureQueriesContext(connection) as queries:
        services.receive_message(case, text="Halo?", at=wib(2026, 1, 19, 8, 10))
    assert event_reads(queries) == 0
    services.answer(case, text="Kami cek", actor=official_a, via=Via.INBOX, at=wib(2026, 1, 19, 9))
    # No clock runs now: this message starts the next-response clock, through a replay.
    with CaptureQueriesContext(connection) as queries:
        services.receive_message(case, text="Kapan?", at=wib(2026, 1, 19, 10))
    assert event_reads(queries) == 1
    assert Case.objects.get(pk=case.pk).next_response_due_at == wib(2026, 1, 20, 10)
    # Now it runs: the next message changes nothing and reads no events.
    with CaptureQueriesContext(connection) as queries:
        services.receive_message(case, text="Halo?", at=wib(2026, 1, 19, 11))
    assert event_reads(queries) == 0
    assert Case.objects.get(pk=case.pk).next_response_due_at == wib(2026, 1, 20, 10)


def test_the_shortcut_reads_the_row_not_an_old_instance(unit_a, official_a):
    case = testing.create_case(unit=unit_a, at=wib(2026, 1, 19, 8, 0))
    old = Case.objects.get(pk=case.pk)  # first response still due in this copy
    services.answer(case, text="Kami cek", actor=official_a, via=Via.INBOX, at=wib(2026, 1, 19, 9))
    services.receive_message(old, text="Kapan?", at=wib(2026, 1, 19, 10))
    assert Case.objects.get(pk=case.pk).next_response_due_at == wib(2026, 1, 20, 10)


def test_opening_a_case_replays_its_events_once(unit_a):
    with CaptureQueriesContext(connection) as queries:
        case = testing.create_case(unit=unit_a, at=wib(2026, 1, 19, 8, 0))
    assert event_reads(queries) == 1
    assert case.first_response_due_at == wib(2026, 1, 19, 10, 0)
    assert_as_replayed(case)
