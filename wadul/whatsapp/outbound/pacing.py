"""When a row may be sent: the pace Meta allows, kept by scheduling rather than by hitting
errors.

Each number has a next free slot (1 / its throughput, a little under Meta's limit), each
number → user pair a token bucket like Meta's (a burst of 45, one more every 6 s); a row waits
for both before it is claimed `queued → sending` (compare-and-set, in the database, so two
workers share the pace). In this process, `SendWindow` keeps a send from starting while a
second's worth of earlier sends may still be counted by Meta.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wadul.core.db import one_writer
from wadul.whatsapp.models import OutboundMessage, RecipientPace, SendPace

State = OutboundMessage.State
Kind = OutboundMessage.Kind

RECEIPTS = -1  # the lane of read receipts in a batch
SLOT_TOLERANCE = timedelta(milliseconds=2)
# How far ahead one transaction claims a number's slots: at 80 msg/s up to 80 rows, so the
# claim's cost is shared by all of them; a worker that dies leaves at most these `sending`
# (reconciled like any other).
CLAIM_AHEAD = timedelta(seconds=1)
# The next free slot per number as this process last set it (saves a query per send).
taken_slots: dict[int, datetime] = {}
# A late send may be made up by sending the next ones sooner: up to CATCH_UP_SLOTS intervals
# of lateness, the sends never closer than CATCH_UP_GAP of an interval (see SendWindow).
CATCH_UP_SLOTS = 2
CATCH_UP_GAP = 0.5
# Meta's sliding window, and how often a thread waiting for an answer to free a place in it
# looks again.
WINDOW_SECONDS = 1.0
# Places in the window left free: requests in flight together may reach Meta in another
# order than they started (on the bench ~5 of 1,600 did), and a message that overtakes one
# started before it is not counted in that one's second by the rule below.
WINDOW_SPARE = 1
WINDOW_POLL_SECONDS = 0.001


class _SlotTaken(Exception):
    """Another worker took this number's next slot: wait for the one after."""

    def __init__(self, slot: datetime):
        self.slot = slot


def claim(row: OutboundMessage, now: datetime) -> bool:
    """Claim one row for sending now (its number's slot must be now)."""
    if row.kind == Kind.READ_RECEIPT:
        # Read receipts are not messages: they take no throughput slot and no pair token.
        with one_writer():
            return _mark_sending([row], now) == 1
    return bool(claim_lane(deque([row]), now, timedelta(0)))


def _mark_sending(rows: list[OutboundMessage], now: datetime) -> int:
    """Compare-and-set `queued → sending` for `rows` (all of them, or none if another
    worker changed one meanwhile: the callers pass one row, or rows they have locked)."""
    claimed = OutboundMessage.objects.filter(
        pk__in=[row.pk for row in rows], state=State.QUEUED
    ).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed == len(rows):
        for row in rows:
            row.state, row.claimed_at, row.attempts = State.SENDING, now, row.attempts + 1
    return claimed


def claim_lane(
    lane: deque[OutboundMessage], now: datetime, ahead: timedelta
) -> list[tuple[OutboundMessage, datetime]]:
    """Claim the rows at the head of one number's lane for its slots up to `ahead` from now,
    in one transaction: (row, slot) for each. Rows taken off the lane: those claimed, those
    postponed for an empty pair bucket, those another worker had claimed."""
    try:
        with one_writer(), transaction.atomic():
            return _claim_slots(lane, now, ahead)
    except _SlotTaken as taken:
        taken_slots[lane[0].number_id] = taken.slot
        return []


def _claim_slots(
    lane: deque[OutboundMessage], now: datetime, ahead: timedelta
) -> list[tuple[OutboundMessage, datetime]]:
    number = lane[0].number
    step = timedelta(seconds=interval(number))
    pace, _created = SendPace.objects.select_for_update().get_or_create(
        number_id=number.pk, defaults={"next_slot_at": now}
    )
    # Never catch up on a late slot: a burst to make up for it is what Meta's sliding
    # second counts against us.
    slot = max(pace.next_slot_at, now)
    last_slot = now + ahead + SLOT_TOLERANCE
    if slot > last_slot:
        raise _SlotTaken(slot)
    count = max(1, int((last_slot - slot) / step) + 1)
    rows = [lane[i] for i in range(min(count, len(lane)))]
    buckets = _pair_buckets(number.pk, {row.recipient for row in rows}, now)
    queued = set(
        OutboundMessage.objects.select_for_update()
        .filter(pk__in=[row.pk for row in rows], state=State.QUEUED)
        .values_list("pk", flat=True)
    )
    claimed: list[tuple[OutboundMessage, datetime]] = []
    for row in rows:
        lane.popleft()
        if row.pk not in queued:
            continue  # another worker had it
        bucket = buckets[row.recipient]
        if bucket.tokens < 1.0:
            # The pair bucket is empty: wait for a token rather than earn a 131056.
            later = now + timedelta(
                seconds=(1.0 - bucket.tokens) * settings.WHATSAPP_PAIR_INTERVAL + 0.05
            )
            OutboundMessage.objects.filter(pk=row.pk).update(next_attempt_at=later)
            continue
        bucket.tokens -= 1.0
        claimed.append((row, slot))
        slot += step
    if claimed:
        _mark_sending([row for row, _slot in claimed], now)
        SendPace.objects.filter(pk=pace.pk).update(next_slot_at=slot)
        used = [buckets[recipient] for recipient in {row.recipient for row, _slot in claimed}]
        for bucket in used:
            bucket.updated_at = now
        RecipientPace.objects.bulk_update(used, ["tokens", "updated_at"])
        taken_slots[number.pk] = slot
    return claimed


def throughput(number) -> int:
    """Meta's limit for the number: messages in any sliding second."""
    if number.coexistence:
        return settings.WHATSAPP_COEXISTENCE_THROUGHPUT
    return settings.WHATSAPP_THROUGHPUT


def interval(number) -> float:
    """The time between two slots: a little over 1 / the limit (WHATSAPP_PACE_FACTOR)."""
    return 1.0 / max(0.1, throughput(number) * settings.WHATSAPP_PACE_FACTOR)


class SendWindow:
    """When this process may start the next send from one number (time.monotonic() seconds,
    passed in so that tests drive it without sleeping; `_windows_lock` guards it).

    Two rules. The pace: a token bucket of CATCH_UP_SLOTS + 1 sends refilled one per
    interval, and never two starts closer than CATCH_UP_GAP of an interval. A thread the busy
    machine woke a little late is thus made up by the next sends, instead of every late
    wake-up being lost for good (sending strictly one interval after the previous start lost
    ~10 % of the rate on two busy cores), and a long stall is not made up by a burst.

    The limit: Meta counts a message when it arrives, which is after its request started and
    before its answer came back. So a send counts from its start until one second after its
    answer, and the next may start only while fewer than `limit` (less WINDOW_SPARE) count:
    every message started earlier that can share Meta's sliding second with the new one is
    counted, however slowly its request travelled or a thread was woken, and catching up
    can never go over the limit."""

    def __init__(self) -> None:
        self.answered: deque[float] = deque()  # when answers came back, oldest first
        self.in_flight = 0
        self.last_start = float("-inf")
        self.ideal = float("-inf")  # the bucket, as the time it would be full again

    def earliest_start(self, now: float, *, limit: int, interval: float) -> float | None:
        """The earliest time from `now` the next send may start; None when `limit` sends
        are in flight (wait for an answer)."""
        while self.answered and self.answered[0] <= now - WINDOW_SECONDS:
            self.answered.popleft()
        at = max(
            now,
            self.ideal - CATCH_UP_SLOTS * interval,
            self.last_start + CATCH_UP_GAP * interval,
        )
        excess = len(self.answered) + self.in_flight - max(1, limit - WINDOW_SPARE)
        if excess >= len(self.answered):
            return None
        if excess >= 0:
            at = max(at, self.answered[excess] + WINDOW_SECONDS)
        return at

    def start(self, now: float, *, interval: float) -> None:
        self.in_flight += 1
        self.last_start = now
        self.ideal = max(self.ideal, now) + interval

    def finish(self, now: float) -> None:
        """A send in flight got its answer (or failed): it counts one more second."""
        self.in_flight -= 1
        self.answered.append(now)


# This process's windows per number (they outlive a drain run: the next run's first sends
# share Meta's second with this one's last).
_windows: dict[int, SendWindow] = {}
_windows_lock = threading.Lock()


def window_for(number_id: int) -> SendWindow:
    with _windows_lock:
        return _windows.setdefault(number_id, SendWindow())


def wait_for_turn(row: OutboundMessage, slot: datetime) -> SendWindow | None:
    """Wait for the row's slot, then for its turn in the number's window; returns the
    window the send is counted in (None for a read receipt, which Meta does not count).
    Call `finished` with it once the send got its answer (or failed)."""
    wait = (slot - timezone.now()).total_seconds()
    if wait > 0:
        time.sleep(wait)
    if row.kind == Kind.READ_RECEIPT:
        return None
    window = window_for(row.number_id)
    limit, step = throughput(row.number), interval(row.number)
    while True:
        with _windows_lock:
            now = time.monotonic()
            at = window.earliest_start(now, limit=limit, interval=step)
            if at is not None and at <= now:
                window.start(now, interval=step)
                return window
        time.sleep(WINDOW_POLL_SECONDS if at is None else at - now)


def finished(window: SendWindow | None) -> None:
    if window is not None:
        with _windows_lock:
            window.finish(time.monotonic())


def next_slot(number_id: int) -> datetime:
    if number_id == RECEIPTS:
        return timezone.now()
    pace = SendPace.objects.filter(number_id=number_id).values_list("next_slot_at", flat=True)
    return pace.first() or timezone.now()


def _pair_buckets(number_id: int, recipients: set[str], now: datetime) -> dict:
    """The number → user token buckets of `recipients` (locked), tokens refilled to now."""
    burst, refill = settings.WHATSAPP_PAIR_BURST, settings.WHATSAPP_PAIR_INTERVAL

    def locked() -> dict[str, RecipientPace]:
        found = RecipientPace.objects.select_for_update().filter(
            number_id=number_id, recipient__in=recipients
        )
        return {pace.recipient: pace for pace in found}

    buckets = locked()
    if len(buckets) < len(recipients):
        RecipientPace.objects.bulk_create(
            [
                RecipientPace(number_id=number_id, recipient=r, tokens=float(burst), updated_at=now)
                for r in recipients - buckets.keys()
            ],
            ignore_conflicts=True,
        )
        buckets = locked()
    for pace in buckets.values():
        elapsed = max(0.0, (now - pace.updated_at).total_seconds())
        pace.tokens = min(float(burst), pace.tokens + elapsed / refill)
    return buckets


def empty_pair_bucket(row: OutboundMessage) -> None:
    RecipientPace.objects.filter(number_id=row.number_id, recipient=row.recipient).update(
        tokens=0.0, updated_at=timezone.now()
    )
