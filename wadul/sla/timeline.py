"""A case's clock, replayed from its event log.

`replay(case_type, events, config)` walks the events in order and returns a `Timeline`:
which clocks are running now (and so the deadlines to store on the case), and the facts
every metric is made of (first response, responses, pauses, resolution, reopenings,
rating). Deadlines and metrics are both read off this one walk, so the inbox's deadline and
the portal's "within target" can never disagree.

The rules (the clock's definitions):

- A *response* is an answer, a clarification request or a referral (an outbound message
  from an official), as `Case.first_response_at` records it.
- The *first response* clock runs from opening to the first response.
- The *next response* clock starts at a citizen's message once the first response was given
  (and none is already running), and at a reopening; any response stops it.
- The *resolution* clock runs from opening (or the latest reopening) to resolution; it is
  paused while the case waits for the citizen (status `waiting`) and extended by
  `deadline_extended` events (information requests).
- Referral, rejection, merging, resolution and closing end every clock.
- A kind whose law counts whole days (`ClockTargets.whole_days`) has its resolution due at
  the close of business of the Nth working day after the day the clock started; a day the
  case waited for the citizen does not count.
- Deadlines use the calendar and targets of the case's current unit (the central desk
  while it has none), measured from the clock's start, so a transfer neither resets nor
  restarts a clock.
- A clock's outcome is "within target" iff it stopped no later than its deadline at that
  moment; working durations exclude pauses; clock durations are plain elapsed time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from wadul.cases import kinds
from wadul.cases.models import Case, CaseEvent, Status
from wadul.sla import calendar as cal
from wadul.sla.config import Config

E = CaseEvent.Kind

RESPONSE_KINDS = frozenset({E.ANSWERED, E.CLARIFICATION_REQUESTED, E.REFERRED})
FINISHED_STATUSES = frozenset(
    {Status.RESOLVED, Status.CLOSED, Status.REFERRED, Status.REJECTED, Status.MERGED}
)
NOT_COUNTED_STATUSES = frozenset({Status.REJECTED, Status.MERGED})
# Events that cannot change a clock (the replay skips them; the hook ignores them).
CLOCK_NEUTRAL_KINDS = frozenset(
    {
        E.NOTE_ADDED,
        E.ATTACHMENT_ADDED,
        E.VISIBILITY_CHANGED,
        E.PRIORITY_CHANGED,
        E.LOCATION_SET,
        E.ATTACHMENT_APPROVAL,
        E.TERM_UNMASKED,
        E.CONTACT_MERGED,
        E.SLA_WARNING,
        E.SLA_BREACHED,
        E.ESCALATED,
    }
)


@dataclass
class Timeline:
    """Where a case's clocks stand after its last event, and what happened to them."""

    case_type: str
    status: str = Status.RECEIVED
    unit_id: int | None = None
    opened_at: datetime | None = None
    # Running clocks: when each started (None = not running).
    first_since: datetime | None = None
    next_since: datetime | None = None
    resolution_since: datetime | None = None
    # Pauses of the current resolution cycle, and of the whole case (for durations).
    cycle_pauses: list[tuple[datetime, datetime]] = field(default_factory=list)
    all_pauses: list[tuple[datetime, datetime]] = field(default_factory=list)
    paused_since: datetime | None = None
    extension_days: int = 0
    # The case's own resolution target (working minutes), over the Target rows.
    resolution_minutes: int | None = None
    # Outcomes.
    first_response_at: datetime | None = None
    first_response_due_at: datetime | None = None
    first_response_working_seconds: int | None = None
    first_response_within: bool | None = None
    responses: int = 0
    resolved_at: datetime | None = None
    resolution_due_at: datetime | None = None
    resolution_working_seconds: int | None = None
    resolution_within: bool | None = None
    finished: bool = False
    reopened: int = 0
    rating: int | None = None
    # Deadlines now running (what the case stores).
    deadlines: dict[str, datetime | None] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED_STATUSES

    @property
    def counted(self) -> bool:
        return self.status not in NOT_COUNTED_STATUSES

    @property
    def first_response_clock_seconds(self) -> int | None:
        if self.first_response_at is None or self.opened_at is None:
            return None
        return int((self.first_response_at - self.opened_at).total_seconds())

    @property
    def resolution_clock_seconds(self) -> int | None:
        if self.resolved_at is None or self.opened_at is None:
            return None
        return int((self.resolved_at - self.opened_at).total_seconds())


def replay(
    case_type: str,
    events: Iterable[CaseEvent],
    config: Config,
    *,
    resolution_minutes: int | None = None,
) -> Timeline:
    t = Timeline(case_type=case_type, resolution_minutes=resolution_minutes)
    for event in events:
        if event.kind in CLOCK_NEUTRAL_KINDS:
            continue
        _apply(t, event, config)
    _finish(t, config)
    return t


def replay_case(case: Case, events: Iterable[CaseEvent], config: Config) -> Timeline:
    """`replay` with the case's own resolution target, when its kind sets one per case."""
    kind = kinds.get(case.type)
    per_case = kind.clock.resolution_minutes_of
    return replay(
        case.type, events, config, resolution_minutes=per_case(case) if per_case else None
    )


def _calendar(t: Timeline, config: Config) -> cal.WorkingCalendar:
    return config.calendar(t.unit_id)


def _first_due(t: Timeline, config: Config) -> datetime | None:
    if t.first_since is None:
        return None
    target = config.targets_for(t.unit_id, t.case_type).first_response
    return cal.add(_calendar(t, config), t.first_since, target)


def _next_due(t: Timeline, config: Config) -> datetime | None:
    if t.next_since is None:
        return None
    target = config.targets_for(t.unit_id, t.case_type).next_response
    return cal.add(_calendar(t, config), t.next_since, target)


def _resolution_due(t: Timeline, config: Config) -> datetime | None:
    if t.resolution_since is None or t.paused_since is not None:
        return None
    targets = config.targets_for(t.unit_id, t.case_type)
    target = targets.resolution if t.resolution_minutes is None else t.resolution_minutes
    calendar = _calendar(t, config)
    if kinds.get(t.case_type).clock.whole_days:
        days = round(target / calendar.day_minutes) + t.extension_days
        return cal.add_days(calendar, t.resolution_since, days, pauses=t.cycle_pauses)
    minutes = target + t.extension_days * calendar.day_minutes
    paused = calendar.with_closures(t.cycle_pauses)
    return cal.add(paused, t.resolution_since, minutes)


def _apply(t: Timeline, event: CaseEvent, config: Config) -> None:
    kind, at = event.kind, event.at
    if event.to_status:
        t.status = event.to_status
    if kind == E.OPENED:
        t.opened_at = at
        t.first_since = at
        t.resolution_since = at
        return
    if kind in {E.ASSIGNED, E.TRANSFERRED} and event.to_unit_id is not None:
        t.unit_id = event.to_unit_id
    elif kind == E.TRIAGED:
        t.unit_id = None
    if t.paused_since is not None and t.status != Status.WAITING:
        pause = (t.paused_since, at)
        t.cycle_pauses.append(pause)
        t.all_pauses.append(pause)
        t.paused_since = None

    if kind in RESPONSE_KINDS:
        t.responses += 1
        if t.first_response_at is None:
            t.first_response_at = at
            t.first_response_working_seconds = cal.between(
                _calendar(t, config), t.opened_at or at, at
            )
            if t.first_since is not None:
                due = _first_due(t, config)
                t.first_response_due_at = due
                t.first_response_within = due is not None and at <= due
        t.first_since = None
        t.next_since = None
    if kind == E.CLARIFICATION_REQUESTED and t.status == Status.WAITING:
        t.paused_since = at
    elif kind == E.MESSAGE_RECEIVED:
        if t.is_open and t.first_since is None and t.next_since is None:
            t.next_since = at
    elif kind == E.DEADLINE_EXTENDED:
        t.extension_days += int(event.data.get("days", 0))
    elif kind == E.RATED:
        t.rating = event.data.get("rating")
    elif kind == E.REOPENED:
        t.reopened += 1
        t.resolved_at = None
        t.resolution_working_seconds = None
        t.resolution_within = None
        t.resolution_due_at = None
        t.resolution_since = at
        t.cycle_pauses = []
        t.extension_days = 0
        t.next_since = at
        t.first_since = None

    if kind == E.RESOLVED:
        due = _resolution_due(t, config)
        paused = _calendar(t, config).with_closures(t.all_pauses)
        t.resolved_at = at
        t.resolution_due_at = due
        t.resolution_working_seconds = cal.between(paused, t.opened_at or at, at)
        t.resolution_within = due is not None and at <= due
    if t.status in FINISHED_STATUSES and t.opened_at is not None:
        t.finished = True
        if t.first_since is not None:
            # Ended without ever answering the citizen: the first-response target is missed.
            t.first_response_due_at = _first_due(t, config)
            t.first_response_within = False
        t.first_since = t.next_since = t.resolution_since = None
        t.paused_since = None


def _finish(t: Timeline, config: Config) -> None:
    """The deadlines running after the last event."""
    first = _first_due(t, config) if t.is_open else None
    if first is not None:
        t.first_response_due_at = first
    resolution = _resolution_due(t, config) if t.is_open else None
    if resolution is not None:
        t.resolution_due_at = resolution
    t.deadlines = {
        "first_response": first,
        "next_response": _next_due(t, config) if t.is_open else None,
        "resolution": resolution,
    }


def events_of(case_ids: Iterable[int]) -> dict[int, list[CaseEvent]]:
    """The events `replay` reads, per case, in order (one query for many cases)."""
    grouped: dict[int, list[CaseEvent]] = defaultdict(list)
    rows = (
        CaseEvent.objects.filter(case_id__in=list(case_ids))
        .exclude(kind__in=CLOCK_NEUTRAL_KINDS)
        .only("case_id", "kind", "at", "to_status", "to_unit_id", "data")
        .order_by("case_id", "at", "pk")
    )
    for event in rows:
        grouped[event.case_id].append(event)
    return grouped
