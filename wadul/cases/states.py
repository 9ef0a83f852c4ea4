"""The case state machine: which status may follow which."""

from __future__ import annotations

from wadul.cases.models import Status

S = Status

# Every legal move. A move not listed here raises IllegalTransition and changes nothing.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.TRIAGE, S.ASSIGNED, S.REFERRED, S.REJECTED, S.MERGED}),
    S.TRIAGE: frozenset({S.ASSIGNED, S.REFERRED, S.REJECTED, S.MERGED}),
    S.ASSIGNED: frozenset(
        {
            S.ASSIGNED,
            S.TRIAGE,
            S.IN_PROGRESS,
            S.WAITING,
            S.ANSWERED,
            S.RESOLVED,
            S.REFERRED,
            S.REJECTED,
            S.MERGED,
        }
    ),
    S.IN_PROGRESS: frozenset(
        {S.ASSIGNED, S.TRIAGE, S.WAITING, S.ANSWERED, S.RESOLVED, S.REFERRED, S.MERGED}
    ),
    S.WAITING: frozenset(
        {S.ASSIGNED, S.TRIAGE, S.IN_PROGRESS, S.RESOLVED, S.REFERRED, S.MERGED, S.CLOSED}
    ),
    S.ANSWERED: frozenset(
        {S.ASSIGNED, S.TRIAGE, S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.REFERRED, S.MERGED}
    ),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset(
        {
            S.ASSIGNED,
            S.TRIAGE,
            S.IN_PROGRESS,
            S.WAITING,
            S.ANSWERED,
            S.RESOLVED,
            S.REFERRED,
            S.MERGED,
        }
    ),
    S.REFERRED: frozenset({S.CLOSED, S.REOPENED}),
    S.REJECTED: frozenset({S.TRIAGE}),
    S.MERGED: frozenset(),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
