"""The only code that changes the clock's state.

- `on_event` runs inside the transaction of every case event (registered in
  `wadul.cases.events.RECORDED_HOOKS`): it replays the case's events, stores the deadlines
  on the case, reschedules the escalation ladder and updates the case's metrics row — so
  deadlines are never stale, not even for a moment.
- `recompute_open_cases` does the same for every open case of some units (calendar changes).
- `store_deadlines`, which both call, is the only writer of a case's deadline fields.
- `extend_information_request` grants the one extension UU 14/2008 allows, and tells the
  applicant the new date.
- `mark_notifications_read` records that an official has read their notifications.
- `sweep` fires the ladder steps whose time has come (`wadul sla_check`, the `sla_sweep` task).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.cases import access, events
from wadul.cases import services as case_services
from wadul.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseType, Via
from wadul.core.bulk import bulk_insert
from wadul.organisation.models import Official, Unit
from wadul.sla import calendar as cal
from wadul.sla import config as clock_config
from wadul.sla import messages, metrics, notify
from wadul.sla.models import Deadline, Escalation, EscalationStep, Notification
from wadul.sla.timeline import CLOCK_NEUTRAL_KINDS, Timeline, events_of, replay_case

log = logging.getLogger(__name__)
E = CaseEvent.Kind
DEADLINE_FIELDS = {d.value: d.case_field for d in Deadline}
EVENT_FOR = {
    Notification.Kind.WARNING: E.SLA_WARNING,
    Notification.Kind.BREACHED: E.SLA_BREACHED,
    Notification.Kind.ESCALATED: E.ESCALATED,
}


# What the sweep reads of a case (and of its unit and assigned official).
SWEEP_CASE_FIELDS = [
    "tracking_number",
    "type",
    "subject",
    "status",
    *DEADLINE_FIELDS.values(),
    "unit__name",
    "unit__path",
    "assigned_to__is_active",
    "assigned_to__whatsapp_number",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__username",
    "assigned_to__unit_id",
    "assigned_to__role",
]


# case type -> hook(cases of that type) -> {case pk: unit pk}: a unit whose officials (its
# heads, else its staff) escalation steps also tell, besides the case unit's own line. A
# request kind whose law names the officer a late case goes to (the PPID Utama, the atasan
# PPID) fills this in its app's ready().
ESCALATION_UNITS: dict[str, Callable[[list[Case]], dict[int, int]]] = {}


class ClockError(Exception):
    """A request the clock refuses; the message is safe to show to the user."""


# --- keeping deadlines current ---------------------------------------------------------------


def on_event(case: Case, event: CaseEvent) -> None:
    """The hook run for every recorded case event, inside its transaction."""
    if event.kind in CLOCK_NEUTRAL_KINDS:
        return
    if _response_clock_running(case, event):
        return
    refresh(case, trust_instance=False)


def _response_clock_running(case: Case, event: CaseEvent) -> bool:
    """A citizen's message that moves no status changes the clock only by starting the
    next-response clock, and only when neither response clock runs (timeline `_apply`).
    While one runs, a replay would store exactly what is stored — deadlines, ladder and
    metrics — so most follow-ups cost one read instead of a replay.

    The row is read here, not the caller's instance (which may be old): a running clock
    shows as a stored first- or next-response deadline, since every event that starts or
    stops one is replayed and stores them. When in doubt the replay runs.
    """
    if event.kind != E.MESSAGE_RECEIVED or event.to_status:
        return False
    # Hand-written: asked for nearly every inbound message, and the ORM's version costs
    # ten times the query (the primary key finds the row).
    quote, meta = connection.ops.quote_name, Case._meta
    first, following = (
        quote(meta.get_field(name).column)
        for name in ("first_response_due_at", "next_response_due_at")
    )
    sql = (
        f"SELECT 1 FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s "  # noqa: S608
        f"AND ({first} IS NOT NULL OR {following} IS NOT NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [case.pk])
        return cursor.fetchone() is not None


def refresh(
    case: Case, *, case_events: list[CaseEvent] | None = None, trust_instance: bool = True
) -> Timeline:
    """Replay `case`'s events; store its deadlines, escalation schedule and metrics.

    With `trust_instance` (the instance was just read), only changed deadlines are written;
    otherwise (a caller's instance, possibly read long ago) all three are.
    """
    config = clock_config.current()
    if case_events is None:
        case_events = events_of([case.pk])[case.pk]
    timeline = replay_case(case, case_events, config)
    changes = {
        DEADLINE_FIELDS[kind]: due
        for kind, due in timeline.deadlines.items()
        if not trust_instance or getattr(case, DEADLINE_FIELDS[kind]) != due
    }
    store_deadlines(case, changes)
    _schedule_ladder(case, timeline, config)
    metrics.store(case, timeline, config)
    return timeline


def store_deadlines(case: Case, deadlines: dict[str, datetime | None]) -> None:
    """Write deadline fields of a case (`first_response_due_at`, `next_response_due_at`,
    `resolution_due_at`): the only code that does. They are derived state, what the replay
    of the case's events says, stored inside the transaction of the event that changed them
    (or of a calendar change's recompute); that event is their record, so none is written
    here."""
    if not deadlines:
        return
    Case.objects.filter(pk=case.pk).update(**deadlines)
    for name, value in deadlines.items():
        setattr(case, name, value)


def _schedule_ladder(case: Case, timeline: Timeline, config: clock_config.Config) -> None:
    """Make the pending escalation rows match the deadlines now running."""
    calendar = config.calendar(timeline.unit_id)
    wanted: dict[tuple[str, datetime, int], datetime] = {}
    for kind, due in timeline.deadlines.items():
        if due is None:
            continue
        for step in config.steps:
            if step.applies(kind):
                wanted[(kind, due, step.pk)] = cal.add(calendar, due, step.offset_minutes)
    pending = {
        (row.deadline, row.due_at, row.step_id): row.pk
        for row in Escalation.objects.filter(
            case_id=case.pk, state=Escalation.State.PENDING
        ).order_by()
    }
    stale = [pk for key, pk in pending.items() if key not in wanted]
    if stale:
        Escalation.objects.filter(pk__in=stale).delete()
    missing = [key for key in wanted if key not in pending]
    if not missing:
        return
    # History replayed into Wadul (demo data, imports) must not alert anyone about steps
    # whose time is already over.
    historical, now = events.is_historical(), timezone.now()
    Escalation.objects.bulk_create(
        [
            Escalation(
                case_id=case.pk,
                deadline=kind,
                due_at=due,
                step_id=step_id,
                fire_at=wanted[(kind, due, step_id)],
                state=(
                    Escalation.State.SKIPPED
                    if historical and wanted[(kind, due, step_id)] <= now
                    else Escalation.State.PENDING
                ),
            )
            for kind, due, step_id in missing
        ],
        ignore_conflicts=True,
    )


def recompute_open_cases(unit_ids: Iterable[int] | None = None, *, batch_size: int = 500) -> int:
    """Recompute the deadlines (and ladder, metrics) of the open cases of these units and
    their sub-units — all open cases if None. Returns how many cases were replayed."""
    cases = Case.objects.filter(status__in=OPEN_STATUSES)
    if unit_ids is not None:
        units = list(Unit.objects.filter(pk__in=list(unit_ids)))
        if not units:
            return 0
        scope = Q()
        for unit in units:
            scope |= Q(unit__path__startswith=unit.path)
        if any(u.kind == Unit.Kind.CENTRAL_DESK for u in units):
            scope |= Q(unit__isnull=True)
        cases = cases.filter(scope)
    done, last_pk = 0, 0
    while True:
        with transaction.atomic():
            # Locked, so a case changing meanwhile is recomputed by its own event after us.
            batch = list(
                cases.select_for_update(of=("self",))
                .filter(pk__gt=last_pk)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return done
            grouped = events_of(c.pk for c in batch)
            for case in batch:
                refresh(case, case_events=grouped.get(case.pk, []))
        done += len(batch)
        last_pk = batch[-1].pk


# --- information requests --------------------------------------------------------------------


@transaction.atomic
def extend_information_request(
    case: Case,
    *,
    actor: Official | None,
    via: str,
    reason: str,
    at: datetime | None = None,
) -> Case:
    """Extend an information request's resolution deadline once (UU 14/2008 art. 22:
    10 working days, plus at most 7 working days with written reasons).

    The applicant gets the new date and the reason as a message over the case's channel
    (like any status message); the extension event carries that message."""
    if actor is not None and not access.can_act(actor, case):
        raise PermissionDenied(_("You may not change this case."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.type != CaseType.INFORMATION_REQUEST:
        raise ClockError(_("Only information requests can be extended."))
    if case.status not in OPEN_STATUSES:
        raise ClockError(_("The case is no longer open."))
    if not reason.strip():
        raise ClockError(_("Give the reason for the extension."))
    now = at or timezone.now()
    if case.resolution_due_at is not None and now > case.resolution_due_at:
        raise ClockError(_("The deadline has already passed; it can no longer be extended."))
    cycle = case.events.filter(kind=E.REOPENED).order_by("-at", "-pk").first()
    extended = case.events.filter(kind=E.DEADLINE_EXTENDED)
    if cycle is not None:
        extended = extended.filter(at__gte=cycle.at)
    if extended.exists():
        raise ClockError(_("This request has already been extended once."))
    config = clock_config.current()
    targets = config.targets_for(case.unit_id, case.type)
    days = targets.extension // config.calendar(case.unit_id).day_minutes
    if days <= 0:
        raise ClockError(_("No extension is allowed for this case type."))
    previous_due = case.resolution_due_at
    # The applicant is told the new date in the same message that records the extension,
    # so the date is worked out first, by the same replay that will store it.
    new_due = _resolution_due_after_extension(case, days=days, at=now, config=config)
    text = messages.extension_notice(case, days=days, due=new_due, reason=reason.strip())
    notice = case_services.notify_citizen(case, text=text, via=Via.SYSTEM, at=now)
    events.record(
        case,
        E.DEADLINE_EXTENDED,
        actor=actor,
        via=via,
        at=now,
        message=notice,
        days=days,
        reason=reason.strip(),
        previous_due=previous_due.isoformat() if previous_due else None,
    )
    return case


def _resolution_due_after_extension(
    case: Case, *, days: int, at: datetime, config: clock_config.Config
) -> datetime | None:
    extension = CaseEvent(case_id=case.pk, kind=E.DEADLINE_EXTENDED, at=at, data={"days": days})
    history = sorted([*events_of([case.pk])[case.pk], extension], key=lambda e: e.at)
    return replay_case(case, history, config).deadlines.get(Deadline.RESOLUTION)


# --- notifications to officials -------------------------------------------------------------


def mark_notifications_read(
    official: Official, *, up_to: int | None = None, at: datetime | None = None
) -> int:
    """Mark `official`'s unread notifications read — those up to id `up_to` (the newest one
    they were shown, so one that arrived meanwhile stays unread), or all. Only ever the
    official's own. Returns how many changed."""
    unread = Notification.objects.filter(recipient=official, read_at__isnull=True)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    # Compare-and-set on read_at: a second click (or tab) changes nothing.
    return unread.update(read_at=at or timezone.now())


# --- the sweep -------------------------------------------------------------------------------


@dataclass
class SweepResult:
    fired: int = 0
    skipped: int = 0
    cancelled: int = 0
    notifications: int = 0


def sweep(*, now: datetime | None = None, batch_size: int = 1000) -> SweepResult:
    """Fire every pending ladder step whose time has come, each exactly once.

    Set-based: one indexed range query on the pending rows' `fire_at` per batch, their
    cases claimed with FOR UPDATE SKIP LOCKED (PostgreSQL) or under SQLite's write lock,
    rows marked fired with compare-and-set, so any number of sweeps may run at once.
    """
    now = now or timezone.now()
    result = SweepResult()
    while True:
        with transaction.atomic():
            more = _sweep_batch(now, batch_size, result)
        if not more:
            return result


# Due rows read per batch of cases: a case rarely has more than a few steps due at once.
ROWS_PER_CASE = 4


def _sweep_batch(now: datetime, batch_size: int, result: SweepResult) -> bool:
    """Claim up to `batch_size` cases with due steps and fire all their due steps; say
    whether more may be due.

    The claim is on the case row, not on single ladder rows: two sweeps claiming rows
    one by one could split a case's breach and its escalation between them and record
    them out of order. One case's due steps are always fired together, in order. Cases
    another sweep holds are left to it (it goes on until nothing is due).
    """
    due = Escalation.objects.filter(state=Escalation.State.PENDING, fire_at__lte=now)
    limit = batch_size * ROWS_PER_CASE
    candidates = list(due.order_by("fire_at", "pk").values_list("case_id", flat=True)[:limit])
    distinct = list(dict.fromkeys(candidates))
    case_ids = list(
        Case.objects.select_for_update(skip_locked=True)
        .filter(pk__in=distinct[:batch_size])
        .values_list("pk", flat=True)
    )
    if not case_ids:
        return False
    more = len(candidates) == limit or len(distinct) > batch_size
    rows = list(due.filter(case_id__in=case_ids).order_by("fire_at", "pk"))
    if not rows:
        return more  # another sweep fired them between our statements
    cases = (
        Case.objects.select_related("unit", "assigned_to")
        .only(*SWEEP_CASE_FIELDS)
        .in_bulk({r.case_id for r in rows})
    )
    steps = {s.pk: s for s in EscalationStep.objects.filter(pk__in={r.step_id for r in rows})}
    fire, skip, cancel = [], [], []
    for row in rows:
        case, step = cases.get(row.case_id), steps[row.step_id]
        if (
            case is None
            or case.status not in OPEN_STATUSES
            or getattr(case, DEADLINE_FIELDS[row.deadline]) != row.due_at
        ):
            cancel.append(row)
        elif step.kind == Notification.Kind.WARNING and row.due_at <= now:
            skip.append(row)  # a warning after the fact helps nobody; the breach step follows
        else:
            fire.append(row)
    for group, state in (
        (cancel, Escalation.State.CANCELLED),
        (skip, Escalation.State.SKIPPED),
        (fire, Escalation.State.FIRED),
    ):
        if not group:
            continue
        changed = Escalation.objects.filter(
            pk__in=[r.pk for r in group], state=Escalation.State.PENDING
        ).update(state=state, fired_at=now)
        if changed != len(group):
            # Another sweep got there first (only possible without row locks): undo this
            # batch; the next round sees the rows as done.
            transaction.set_rollback(True)
            return True
    result.cancelled += len(cancel)
    result.skipped += len(skip)
    result.fired += len(fire)
    if fire:
        _fire(fire, cases, steps, now, result)
    return more


def _fire(rows, cases, steps, now: datetime, result: SweepResult) -> None:
    """Record one event per fired step and notify its recipients (in bulk)."""
    recipients = Recipients([cases[r.case_id] for r in rows])
    people = [recipients.for_step(cases[r.case_id], steps[r.step_id]) for r in rows]
    fired = events.record_many(
        [
            (
                cases[row.case_id],
                EVENT_FOR[steps[row.step_id].kind],
                {
                    "deadline": row.deadline,
                    "due_at": row.due_at.isoformat(),
                    "step": steps[row.step_id].name,
                    "offset_minutes": steps[row.step_id].offset_minutes,
                    "recipients": [p.pk for p in group],
                },
            )
            for row, group in zip(rows, people, strict=True)
        ],
        actor=None,
        via=Via.SYSTEM,
        at=now,
    )
    notifications: list[Notification] = []
    for row, event, group in zip(rows, fired, people, strict=True):
        case, step = cases[row.case_id], steps[row.step_id]
        notifications.extend(
            Notification(
                recipient=person,
                case=case,
                event=event,
                kind=step.kind,
                deadline=row.deadline,
                due_at=row.due_at,
                step_name=step.name,
                whatsapp_requested=step.whatsapp and bool(person.whatsapp_number),
                created_at=now,
            )
            for person in group
        )
    bulk_insert(notifications)
    result.notifications += len(notifications)
    wanted = [n for n in notifications if n.whatsapp_requested]
    if wanted:
        # Delivery is the worker's job: a backlog sweep writes thousands of notifications,
        # and rendering and queueing each WhatsApp message would hold the sweep for minutes.
        ids = [n.pk for n in wanted]
        transaction.on_commit(lambda: notify.deliver_notifications.enqueue(ids), robust=True)


class Recipients:
    """Who each ladder step tells, looked up once per sweep batch."""

    def __init__(self, cases: list[Case]) -> None:
        config = clock_config.current()
        self.config = config
        lineages = {c.pk: [u for u in config.lineage(c.unit_id) if u is not None] for c in cases}
        self.extra_units: dict[int, int] = {}
        for type_, hook in ESCALATION_UNITS.items():
            typed = [c for c in cases if c.type == type_]
            if typed:
                self.extra_units.update(hook(typed))
        unit_ids = {u for lineage in lineages.values() for u in lineage}
        unit_ids.update(self.extra_units.values())
        self.lineages = lineages
        self.staff: dict[int, list[Official]] = defaultdict(list)
        self.heads: dict[int, list[Official]] = defaultdict(list)
        self.supervisors: list[Official] = []
        self.operators: list[Official] = []
        R = Official.Role
        people = Official.objects.filter(is_active=True).filter(
            Q(role__in=[R.SUPERVISOR, R.OPERATOR])
            | Q(role__in=[R.STAFF, R.HEAD], unit_id__in=unit_ids)
        )
        for person in people.order_by("pk"):
            if person.role == R.SUPERVISOR:
                self.supervisors.append(person)
            elif person.role == R.OPERATOR:
                self.operators.append(person)
            elif person.role == R.HEAD:
                self.heads[person.unit_id].append(person)
            else:
                self.staff[person.unit_id].append(person)

    def for_step(self, case: Case, step: EscalationStep) -> list[Official]:
        R = EscalationStep.Recipients
        if step.recipients == R.SUPERVISORS:
            return self.supervisors
        lineage = self.lineages[case.pk]
        if step.recipients == R.ASSIGNED:
            if case.assigned_to is not None and case.assigned_to.is_active:
                return [case.assigned_to]
            if case.unit_id is None:
                return self.operators  # triage: the central desk's operators hold it
            return self.staff.get(case.unit_id) or self._nearest_heads(lineage)
        people = self._nearest_heads(lineage) or (self.operators if case.unit_id is None else [])
        extra = self.extra_units.get(case.pk)
        if extra is not None:
            desk = self.heads.get(extra) or self.staff.get(extra) or []
            people = list({p.pk: p for p in [*people, *desk]}.values())
        return people

    def _nearest_heads(self, lineage: list[int]) -> list[Official]:
        for unit_id in lineage:
            if self.heads.get(unit_id):
                return self.heads[unit_id]
        return []
