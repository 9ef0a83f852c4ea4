"""The one place case events are written, and the after-commit notification of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from wadul.cases.models import Case, CaseEvent, Message
from wadul.core.bulk import bulk_insert
from wadul.organisation.models import Official, Unit

# Sent after the transaction that recorded the event commits (never inside it), so
# listeners (clock, notifications, statistics) only ever see committed state.
# Arguments: event (CaseEvent), historical (bool: replayed history, not live traffic —
# listeners must not notify anyone about it).
case_event_committed = Signal()

# Called inside the transaction right after each event is written, with (case, event), so
# that what follows from an event is written together with it: the clock (`wadul.sla`)
# registers here and recomputes the case's deadlines in the same transaction.
RECORDED_HOOKS: list[Callable[[Case, CaseEvent], None]] = []

# Labels of the events an app records for its own request kind (e.g. "letter_signed"),
# beyond `CaseEvent.Kind`; the app fills this in its `ready()`.
EXTRA_KINDS: dict[str, str] = {}


def label(kind: str) -> str:
    """What the event log calls an event kind."""
    if kind in CaseEvent.Kind.values:
        return str(CaseEvent.Kind(kind).label)
    return EXTRA_KINDS.get(kind, kind)


_historical: ContextVar[bool] = ContextVar("wadul_historical_import", default=False)


@contextmanager
def historical_import() -> Iterator[None]:
    """Record past activity (demo data, migrations from another system): messages count as
    already delivered and nothing is sent to anyone."""
    token = _historical.set(True)
    try:
        yield
    finally:
        _historical.reset(token)


def is_historical() -> bool:
    return _historical.get()


def record(
    case: Case,
    kind: str,
    *,
    actor: Official | None,
    via: str,
    at: datetime | None = None,
    from_status: str = "",
    to_status: str = "",
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
    message: Message | None = None,
    hooks: bool = True,
    **data: Any,
) -> CaseEvent:
    """Write one event. `hooks=False` only for a verb that records another event of the same
    case right after in the same transaction: that one's hooks see both (opening a case
    records `opened` then `assigned`, and the clock replays the case once, not twice)."""
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        via=via,
        at=at or timezone.now(),
        recorded_at=timezone.now(),
        from_status=from_status,
        to_status=to_status,
        from_unit=from_unit,
        to_unit=to_unit,
        message=message,
        data=data,
    )
    for hook in RECORDED_HOOKS if hooks else ():
        hook(case, event)
    historical = is_historical()
    transaction.on_commit(
        lambda: case_event_committed.send(sender=CaseEvent, event=event, historical=historical),
        robust=True,
    )
    return event


def record_many(
    entries: Iterable[tuple[Case, str, dict[str, Any]]],
    *,
    actor: Official | None,
    via: str,
    at: datetime | None = None,
) -> list[CaseEvent]:
    """`record` for many (case, kind, data) at once, in one INSERT — for sweeps that write
    thousands of events. Same hooks, same after-commit signal."""
    now = timezone.now()
    entries = list(entries)
    created = [
        CaseEvent(
            case=case,
            kind=kind,
            actor=actor,
            via=via,
            at=at or now,
            recorded_at=now,
            data=data,
        )
        for case, kind, data in entries
    ]
    bulk_insert(created)
    for (case, _kind, _data), event in zip(entries, created, strict=True):
        for hook in RECORDED_HOOKS:
            hook(case, event)
    historical = is_historical()

    def send() -> None:
        for event in created:
            case_event_committed.send(sender=CaseEvent, event=event, historical=historical)

    transaction.on_commit(send, robust=True)
    return created
