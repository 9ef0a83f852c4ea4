"""Every verb against every status: legal moves change state and write one event,
illegal ones raise and change nothing."""

from __future__ import annotations

import pytest

from wadul import testing
from wadul.cases import services
from wadul.cases.kinds.complaint import TRANSITIONS
from wadul.cases.models import OPEN_STATUSES, Case, CaseEvent, Message, Status, Via

S = Status

# verb name → (target status, call)
VERBS = {
    "assign": (
        S.ASSIGNED,
        lambda c, f: services.assign(c, unit=f["unit"], actor=f["op"], via=Via.INBOX),
    ),
    "transfer": (
        S.ASSIGNED,
        lambda c, f: services.transfer(
            c, to_unit=f["other"], reason="bukan kewenangan", actor=f["op"], via=Via.INBOX
        ),
    ),
    "return_to_triage": (
        S.TRIAGE,
        lambda c, f: services.return_to_triage(c, reason="?", actor=f["op"], via=Via.INBOX),
    ),
    "start_work": (
        S.IN_PROGRESS,
        lambda c, f: services.start_work(c, actor=f["op"], via=Via.INBOX),
    ),
    "request_clarification": (
        S.WAITING,
        lambda c, f: services.request_clarification(
            c, text="Lokasinya di mana?", actor=f["op"], via=Via.INBOX
        ),
    ),
    "refer_outside": (
        S.REFERRED,
        lambda c, f: services.refer_outside(c, institution=f["pln"], actor=f["op"], via=Via.INBOX),
    ),
    "mark_duplicate": (
        S.MERGED,
        lambda c, f: services.mark_duplicate(c, of=f["survivor"], actor=f["op"], via=Via.INBOX),
    ),
    "reject": (
        S.REJECTED,
        lambda c, f: services.reject(c, reason="spam", actor=f["op"], via=Via.INBOX),
    ),
    "resolve": (S.RESOLVED, lambda c, f: services.resolve(c, actor=f["op"], via=Via.INBOX)),
    "close": (S.CLOSED, lambda c, f: services.close(c, actor=f["op"], via=Via.INBOX)),
    "reopen": (S.REOPENED, lambda c, f: services.reopen(c, actor=f["op"], via=Via.INBOX)),
}

# Moves a verb refuses although the table allows them, with the reason.
VERB_RULES = {
    # triage cases are assigned, not transferred
    ("transfer", S.RECEIVED): False,
    ("transfer", S.TRIAGE): False,
}


def _in_status(case: Case, status: str, unit) -> Case:
    # Test set-up only: put the case straight into the status under test.
    unit_value = None if status in {S.RECEIVED, S.TRIAGE} else unit
    Case.objects.filter(pk=case.pk).update(status=status, unit=unit_value)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("verb", sorted(VERBS))
@pytest.mark.parametrize("status", [s.value for s in Status])
def test_every_verb_in_every_status(verb, status, unit_a, unit_b, operator, pln, citizen):
    case = _in_status(testing.create_case(unit=unit_a, contact=citizen), status, unit_a)
    survivor = testing.create_case(unit=unit_a)
    target, call = VERBS[verb]
    fixtures = {"unit": unit_a, "other": unit_b, "op": operator, "pln": pln, "survivor": survivor}
    legal = target in TRANSITIONS[status] and VERB_RULES.get((verb, status), True)
    if verb == "assign" and status in {S.ASSIGNED, S.IN_PROGRESS, S.WAITING, S.ANSWERED}:
        # Assigning within the unit picks an official and leaves the status alone.
        legal, target = True, status
    events_before = CaseEvent.objects.filter(case=case).count()

    if legal:
        call(case, fixtures)
        case.refresh_from_db()
        assert case.status == target
        new_events = CaseEvent.objects.filter(case=case).order_by("pk")[events_before:]
        assert len(new_events) == 1
        assert new_events[0].actor == operator
        assert new_events[0].via == Via.INBOX
        if target != status:
            assert (new_events[0].from_status, new_events[0].to_status) == (status, target)
    else:
        with pytest.raises(services.CaseError):
            call(case, fixtures)
        case.refresh_from_db()
        assert case.status == status
        assert CaseEvent.objects.filter(case=case).count() == events_before


def test_every_status_is_reachable_from_received():
    seen, frontier = {S.RECEIVED.value}, [S.RECEIVED.value]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert seen == set(Status.values)


def test_merged_is_terminal():
    assert TRANSITIONS[S.MERGED] == frozenset()


def test_a_stale_case_object_cannot_apply_a_second_change(case_a, operator):
    # Two officials load the same case; the first resolves it, the second's resolve must fail.
    first = Case.objects.get(pk=case_a.pk)
    second = Case.objects.get(pk=case_a.pk)
    services.resolve(first, actor=operator, via=Via.INBOX)
    with pytest.raises(services.StaleCase):
        services.resolve(second, actor=operator, via=Via.INBOX)
    assert CaseEvent.objects.filter(case=case_a, kind=CaseEvent.Kind.RESOLVED).count() == 1


# Verbs that add to the thread or rate: which statuses accept them, and where they lead
# (a status not in the map is left as it is).
THREAD_VERBS = {
    "answer": (
        OPEN_STATUSES,
        {S.ASSIGNED: S.ANSWERED, S.IN_PROGRESS: S.ANSWERED, S.REOPENED: S.ANSWERED},
        lambda c, f: services.answer(c, text="Sudah kami cek", actor=f["op"], via=Via.INBOX),
    ),
    "receive_message": (
        OPEN_STATUSES,
        {S.WAITING: S.IN_PROGRESS},
        lambda c, f: services.receive_message(c, text="RT 3 RW 1", via=Via.WHATSAPP),
    ),
    "add_note": (
        frozenset(Status.values),
        {},
        lambda c, f: services.add_note(c, text="cek anggaran", actor=f["op"], via=Via.INBOX),
    ),
    "rate": (
        frozenset({S.RESOLVED, S.CLOSED}),
        {},
        lambda c, f: services.rate(c, rating=4, via=Via.WHATSAPP),
    ),
}


@pytest.mark.parametrize("verb", sorted(THREAD_VERBS))
@pytest.mark.parametrize("status", [s.value for s in Status])
def test_every_thread_verb_in_every_status(verb, status, unit_a, operator, citizen):
    case = _in_status(testing.create_case(unit=unit_a, contact=citizen), status, unit_a)
    accepted, moves, call = THREAD_VERBS[verb]
    events_before = CaseEvent.objects.filter(case=case).count()
    messages_before = Message.objects.filter(case=case).count()

    if status in accepted:
        call(case, {"op": operator})
        case.refresh_from_db()
        target = moves.get(status, status)
        assert case.status == target
        new_events = list(CaseEvent.objects.filter(case=case).order_by("pk")[events_before:])
        assert len(new_events) == 1
        if target != status:
            assert (new_events[0].from_status, new_events[0].to_status) == (status, target)
    else:
        with pytest.raises(services.IllegalTransition):
            call(case, {"op": operator})
        case.refresh_from_db()
        assert case.status == status and case.rating is None
        assert CaseEvent.objects.filter(case=case).count() == events_before
        assert Message.objects.filter(case=case).count() == messages_before
