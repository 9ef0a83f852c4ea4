"""The complaint (pengaduan) and its relatives: aspirasi, and the generic information and
service requests that wave 1 handled the same way. Their state machine is the one drawn on
`cases.models.Status`.

Statuses are written as their stored values: this module is imported by `cases.models`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wadul.cases.kinds import ClockTargets, RequestKind, register

RECEIVED, TRIAGE, ASSIGNED, IN_PROGRESS = "received", "triage", "assigned", "in_progress"
WAITING, ANSWERED, RESOLVED, CLOSED = "waiting", "answered", "resolved", "closed"
REOPENED, REFERRED, REJECTED, MERGED = "reopened", "referred", "rejected", "merged"

OPEN = frozenset({RECEIVED, TRIAGE, ASSIGNED, IN_PROGRESS, WAITING, ANSWERED, REOPENED})

# Every legal move. A move not listed here raises IllegalTransition and changes nothing.
TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({TRIAGE, ASSIGNED, REFERRED, REJECTED, MERGED}),
    TRIAGE: frozenset({ASSIGNED, REFERRED, REJECTED, MERGED}),
    ASSIGNED: frozenset(
        {ASSIGNED, TRIAGE, IN_PROGRESS, WAITING, ANSWERED, RESOLVED, REFERRED, REJECTED, MERGED}
    ),
    IN_PROGRESS: frozenset({ASSIGNED, TRIAGE, WAITING, ANSWERED, RESOLVED, REFERRED, MERGED}),
    WAITING: frozenset({ASSIGNED, TRIAGE, IN_PROGRESS, RESOLVED, REFERRED, MERGED, CLOSED}),
    ANSWERED: frozenset({ASSIGNED, TRIAGE, IN_PROGRESS, WAITING, RESOLVED, REFERRED, MERGED}),
    RESOLVED: frozenset({CLOSED, REOPENED}),
    CLOSED: frozenset({REOPENED}),
    REOPENED: frozenset(
        {ASSIGNED, TRIAGE, IN_PROGRESS, WAITING, ANSWERED, RESOLVED, REFERRED, MERGED}
    ),
    REFERRED: frozenset({CLOSED, REOPENED}),
    REJECTED: frozenset({TRIAGE}),
    MERGED: frozenset(),
}

COMPLAINT = register(
    RequestKind(
        code="complaint",
        label=_("complaint (pengaduan)"),
        transitions=TRANSITIONS,
        open_statuses=OPEN,
        clock=ClockTargets(first_response_minutes=120, next_response_days=1, resolution_days=5),
        menu_title=_("Report a problem"),
        menu_description=_("A complaint or a suggestion to the regency"),
    )
)
SUGGESTION = register(
    RequestKind(
        code="suggestion",
        label=_("suggestion (aspirasi)"),
        transitions=TRANSITIONS,
        open_statuses=OPEN,
        clock=ClockTargets(first_response_minutes=120, next_response_days=1, resolution_days=10),
        noun="aspirasi",
    )
)
INFORMATION_REQUEST = register(
    RequestKind(
        code="information_request",
        label=_("information request"),
        transitions=TRANSITIONS,
        open_statuses=OPEN,
        clock=ClockTargets(
            first_response_minutes=120, next_response_days=1, resolution_days=10, extension_days=7
        ),
        noun="permohonan",
    )
)
SERVICE_REQUEST = register(
    RequestKind(
        code="service_request",
        label=_("service request (layanan)"),
        transitions=TRANSITIONS,
        open_statuses=OPEN,
        clock=ClockTargets(first_response_minutes=120, next_response_days=1, resolution_days=5),
        noun="permohonan",
    )
)
