"""The escalation ladder: each step once, in order, whatever the number of sweeps."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, CaseEvent, Via
from wadul.core.schedule import EVERY_MINUTE
from wadul.organisation.models import Official
from wadul.sla import notify
from wadul.sla import services as clock
from wadul.sla.models import Escalation, EscalationStep, Notification
from wadul.sla.tasks import sla_sweep

WIB = ZoneInfo("Asia/Jakarta")
E = CaseEvent.Kind
FRIDAY = datetime(2026, 1, 9, 15, 30, tzinfo=WIB)  # first response due Monday 09:00


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def ladder_events(case: Case) -> list[tuple[str, str]]:
    return [
        (e.kind, e.data["deadline"])
        for e in case.events.filter(kind__in=[E.SLA_WARNING, E.SLA_BREACHED, E.ESCALATED]).order_by(
            "at", "pk"
        )
    ]


@pytest.fixture
def people(official_a, head_a, supervisor):
    supervisor.whatsapp_number = "6281100000103"
    supervisor.save()
    return official_a, head_a, supervisor


@pytest.fixture
def sent(people, settings):
    """What the WhatsApp channel would be handed (by the worker's task, run at once here)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    calls: list[tuple[Official, Case, str, str]] = []
    notify.NOTIFIERS["test"] = lambda official, case, kind, text: calls.append(
        (official, case, kind, text)
    )
    yield calls
    notify.NOTIFIERS.pop("test")


def test_each_step_fires_once_in_order_however_often_the_check_runs(
    unit_a, people, sent, django_capture_on_commit_callbacks
):
    official, head, supervisor = people
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    times = [
        wib(2026, 1, 12, 8, 29),  # nothing yet
        wib(2026, 1, 12, 8, 30),  # 30 working minutes before: warning
        wib(2026, 1, 12, 8, 30),
        wib(2026, 1, 12, 9, 0),  # breach
        wib(2026, 1, 12, 9, 1),
        wib(2026, 1, 12, 11, 0),  # + 2 working hours: head of unit
        wib(2026, 1, 12, 15, 0),
        wib(2026, 1, 13, 9, 0),  # + 1 working day: supervisors
        wib(2026, 1, 13, 9, 0),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for now in times:
            clock.sweep(now=now)
    assert ladder_events(case) == [
        (E.SLA_WARNING, "first_response"),
        (E.SLA_BREACHED, "first_response"),
        (E.ESCALATED, "first_response"),
        (E.ESCALATED, "first_response"),
    ]
    notes = list(Notification.objects.order_by("created_at", "pk"))
    assert [(n.recipient, n.kind) for n in notes] == [
        (official, Notification.Kind.WARNING),
        (official, Notification.Kind.BREACHED),
        (head, Notification.Kind.ESCALATED),
        (supervisor, Notification.Kind.ESCALATED),
    ]
    assert all(n.event.case_id == case.pk for n in notes)
    assert notes[0].created_at == wib(2026, 1, 12, 8, 30)
    assert case.tracking_number in notes[1].text and "terlewati" in notes[1].text
    assert "Senin, 12 Januari 2026 09.00 WIB" in notes[1].text
    # Only the supervisor has a WhatsApp number here: only they are sent one.
    assert [n.whatsapp_requested for n in notes] == [False, False, False, True]
    assert [(o, c.pk, k) for o, c, k, _t in sent] == [
        (supervisor, case.pk, Notification.Kind.ESCALATED)
    ]


def test_a_late_sweep_fires_the_missed_steps_in_order_and_skips_stale_warnings(unit_a, people):
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    result = clock.sweep(now=wib(2026, 1, 13, 10, 0))
    assert (result.fired, result.skipped) == (3, 1)
    assert ladder_events(case) == [
        (E.SLA_BREACHED, "first_response"),
        (E.ESCALATED, "first_response"),
        (E.ESCALATED, "first_response"),
    ]
    assert clock.sweep(now=wib(2026, 1, 13, 10, 0)).fired == 0


def test_answering_in_time_cancels_the_ladder(unit_a, people):
    official, _head, _supervisor = people
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    clock.sweep(now=wib(2026, 1, 12, 8, 30))
    services.answer(case, text="Siap", actor=official, via=Via.INBOX, at=wib(2026, 1, 12, 8, 45))
    clock.sweep(now=wib(2026, 1, 13, 10, 0))
    assert ladder_events(case) == [(E.SLA_WARNING, "first_response")]


def test_a_moved_deadline_gets_its_own_ladder(unit_a, people):
    official, _head, _supervisor = people
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    services.answer(case, text="Siap", actor=official, via=Via.INBOX, at=wib(2026, 1, 12, 8))
    services.receive_message(case, text="Kapan?", at=wib(2026, 1, 12, 9, 0))
    clock.sweep(now=wib(2026, 1, 13, 8, 30))  # next response due Tue 09:00
    clock.sweep(now=wib(2026, 1, 13, 9, 0))
    services.answer(case, text="Besok", actor=official, via=Via.INBOX, at=wib(2026, 1, 13, 9, 5))
    services.receive_message(case, text="Belum", at=wib(2026, 1, 13, 10, 0))
    clock.sweep(now=wib(2026, 1, 14, 9, 30))
    clock.sweep(now=wib(2026, 1, 14, 10, 0))
    assert ladder_events(case) == [
        (E.SLA_WARNING, "next_response"),
        (E.SLA_BREACHED, "next_response"),
        (E.SLA_WARNING, "next_response"),
        (E.SLA_BREACHED, "next_response"),
    ]


def test_a_step_whose_case_changed_after_scheduling_is_cancelled_not_fired(unit_a, people):
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    # A deadline written behind the clock's back (e.g. a bulk fix) no longer matches.
    Case.objects.filter(pk=case.pk).update(first_response_due_at=wib(2026, 1, 20))
    result = clock.sweep(now=wib(2026, 1, 12, 9, 0))
    assert result.fired == 0 and result.cancelled == 2
    assert ladder_events(case) == []


def test_unassigned_triage_cases_alert_the_operators(central_desk, operator, supervisor):
    case = testing.create_case(unit=None, at=FRIDAY)
    clock.sweep(now=wib(2026, 1, 12, 9, 0))
    assert set(Notification.objects.values_list("recipient", flat=True)) == {operator.pk}
    # Swept only at the deadline: the warning is skipped, the breach reported.
    assert ladder_events(case) == [(E.SLA_BREACHED, "first_response")]


def test_the_assigned_official_is_told_before_the_rest_of_the_unit(unit_a, people, operator):
    official, _head, _supervisor = people
    colleague = testing.create_official("citra", unit=unit_a)
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    services.assign(case, official=colleague, actor=operator, via=Via.INBOX, at=FRIDAY)
    clock.sweep(now=wib(2026, 1, 12, 9, 0))
    assert set(Notification.objects.values_list("recipient", flat=True)) == {colleague.pk}
    assert official.notifications.count() == 0


def test_steps_are_configurable(unit_a, people):
    EscalationStep.objects.update(is_active=False)
    EscalationStep.objects.create(
        name="Langsung ke pimpinan", offset_minutes=0, recipients="supervisors"
    )
    case = testing.create_case(unit=unit_a, at=FRIDAY)
    clock.sweep(now=wib(2026, 1, 12, 9, 0))
    assert ladder_events(case) == [(E.SLA_BREACHED, "first_response")]
    assert Notification.objects.get().recipient.role == Official.Role.SUPERVISOR


def test_sla_check_command_runs_the_sweep_now(unit_a, people, capsys):
    testing.create_case(unit=unit_a, at=FRIDAY)
    call_command("sla_check", now="2026-01-12T09:00:00+07:00")
    assert "1 steps fired, 1 notifications, 1 skipped" in capsys.readouterr().out
    assert Escalation.objects.filter(state=Escalation.State.FIRED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_fire_each_step_once(regency):
    unit = testing.create_unit("Dinas PU", parent=regency, code="DPU")
    testing.create_official("alice", unit=unit)
    testing.create_official("hadi", unit=unit, role=Official.Role.HEAD)
    testing.create_official("sekda", unit=regency, role=Official.Role.SUPERVISOR)
    cases = [testing.create_case(unit=unit, at=FRIDAY) for _ in range(12)]
    now = wib(2026, 1, 13, 10, 0)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                clock.sweep(now=now, batch_size=5)
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for case in cases:
        assert ladder_events(case) == [
            (E.SLA_BREACHED, "first_response"),
            (E.ESCALATED, "first_response"),
            (E.ESCALATED, "first_response"),
        ]
    assert Notification.objects.count() == 3 * len(cases)


@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_fire_each_step_once(regency):
    unit = testing.create_unit("Dinas PU", parent=regency, code="DPU")
    testing.create_official("alice", unit=unit)
    testing.create_official("hadi", unit=unit, role=Official.Role.HEAD)
    cases = [testing.create_case(unit=unit, at=FRIDAY) for _ in range(20)]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "two-processes-" + "x" * 40}
    argv = [sys.executable, "-m", "wadul", "sla_check", "--now", "2026-01-13T10:00:00+07:00"]
    processes = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    fired = sum(int(out.split(b"SLA check: ")[1].split(b" ")[0]) for out, _err in outputs)
    assert fired == 3 * len(cases)
    for case in cases:
        assert ladder_events(case) == [
            (E.SLA_BREACHED, "first_response"),
            (E.ESCALATED, "first_response"),
            (E.ESCALATED, "first_response"),
        ]


@pytest.mark.django_db(transaction=True)
def test_a_case_another_sweep_holds_is_left_whole_to_it(regency):
    """Claims are per case: a sweep never fires part of a case's due steps (which could put
    an escalation before its breach when two sweeps split the ladder between them)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; row claims are a PostgreSQL matter")
    unit = testing.create_unit("Dinas PU", parent=regency, code="DPU")
    testing.create_official("hadi", unit=unit, role=Official.Role.HEAD)
    held, free = (
        testing.create_case(unit=unit, at=FRIDAY),
        testing.create_case(unit=unit, at=FRIDAY),
    )
    locked, release = threading.Event(), threading.Event()

    def other_sweep() -> None:
        try:
            with transaction.atomic():
                Case.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_sweep)
    thread.start()
    try:
        assert locked.wait(30)
        clock.sweep(now=wib(2026, 1, 13, 10, 0))
        assert ladder_events(held) == []
        assert len(ladder_events(free)) == 3
    finally:
        release.set()
        thread.join()
    clock.sweep(now=wib(2026, 1, 13, 10, 0))
    assert ladder_events(held) == [
        (E.SLA_BREACHED, "first_response"),
        (E.ESCALATED, "first_response"),
        (E.ESCALATED, "first_response"),
    ]


def test_the_sweep_leaves_whatsapp_delivery_to_the_worker(
    unit_a, people, django_capture_on_commit_callbacks
):
    _official, _head, supervisor = people
    calls: list[str] = []
    notify.NOTIFIERS["test"] = lambda official, case, kind, text: calls.append(official.username)
    try:
        testing.create_case(unit=unit_a, at=FRIDAY)
        with django_capture_on_commit_callbacks(execute=True):
            clock.sweep(now=wib(2026, 1, 13, 9, 0))
        assert calls == []  # the sweep only records; a backlog must not wait on sending
        (queued,) = DBTaskResult.objects.ready()
        assert queued.task_name == "deliver_notifications"
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        assert calls == [supervisor.username]
    finally:
        notify.NOTIFIERS.pop("test")


def test_the_scheduler_enqueues_the_sweep_every_minute():
    assert sla_sweep in EVERY_MINUTE  # what `wadul sla_scheduler` enqueues
