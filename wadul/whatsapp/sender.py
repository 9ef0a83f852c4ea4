"""The outbox sender: sends due rows at the pace Meta allows, and never sends one twice.

Pacing is by scheduling, not by hitting errors: each number has a next free slot (1 / its
throughput, a little under Meta's limit), each number → user pair a token bucket like Meta's
(a burst of 45, one more every 6 s). A row waits for both before it is claimed.

Never twice: a row is claimed `queued → sending` by compare-and-set before the HTTP call and
carries its idempotency key as `biz_opaque_callback_data`. If the worker dies after Meta
accepted it, the `sent` status webhook with that key settles the row; only when no status
arrives within WHATSAPP_RECONCILE_SECONDS is the row sent again. A timeout is treated the
same way (the request may have arrived), a connection that never opened is retried at once.

A media row first uploads its attachment (POST /<PHONE_NUMBER_ID>/media) and keeps the
returned media id, so a retried send never uploads the file twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import datetime, timedelta
from queue import Queue
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Min
from django.utils import timezone

from wadul.cases.models import Attachment
from wadul.core.db import one_writer
from wadul.whatsapp import graph, message_templates, spool, statuses, tasks
from wadul.whatsapp.alerts import raise_alert
from wadul.whatsapp.models import (
    Alert,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    RecipientPace,
    SendPace,
    WebhookDelivery,
)

logger = logging.getLogger(__name__)

State = OutboundMessage.State
Kind = OutboundMessage.Kind
Purpose = OutboundMessage.Purpose

# Meta's error codes (reference: support/error-codes) and what the sender does with them.
RETRY_CODES = frozenset({130429, 131056, 131000, 131057, 4, 80007})
STOP_CODES = frozenset({131026, 131048, 368, 190})
WINDOW_CLOSED = 131047
THROUGHPUT_HIT, PAIR_RATE_HIT = 130429, 131056
MAX_ATTEMPTS = 6
MAX_BACKOFF_SECONDS = 900
CUSTOMER_SERVICE_WINDOW = timedelta(hours=24)
# Send a template a little before the window really closes: the row may wait in the queue.
WINDOW_MARGIN = timedelta(minutes=1)
BATCH = 500
RECEIPTS = -1  # the lane of read receipts in a batch
SLOT_TOLERANCE = timedelta(milliseconds=2)
# How far ahead one transaction claims a number's slots: at 80 msg/s up to 80 rows, so the
# claim's cost is shared by all of them; a worker that dies leaves at most these `sending`
# (reconciled like any other).
CLAIM_AHEAD = timedelta(seconds=1)
# The next free slot per number as this process last set it (saves a query per send).
_taken_slots: dict[int, datetime] = {}
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
# Which configured template carries a message of each purpose outside the 24-hour window.
TEMPLATE_FOR = {
    Purpose.ANSWER: "answer",
    Purpose.ACKNOWLEDGEMENT: "status_update",
    Purpose.STATUS_UPDATE: "status_update",
    Purpose.NOTICE: "notice",
    Purpose.RATING_REQUEST: "rating_request",
}


def drain(budget_seconds: float = 2.0) -> int:
    """Send what is due for up to `budget_seconds`, then schedule the next run."""
    deadline = time.monotonic() + budget_seconds
    reconcile()
    # One pipeline for the whole run: rows in flight from one batch keep their threads
    # while the next batch is read and claimed, so there is no pause between batches.
    with _Pipeline(settings.WHATSAPP_SENDER_THREADS) as pipeline:
        while time.monotonic() < deadline:
            rows = list(
                OutboundMessage.objects.filter(
                    state=State.QUEUED, next_attempt_at__lte=timezone.now()
                )
                .select_related("number")
                .order_by("next_attempt_at", "id")[:BATCH]
            )
            if not rows:
                break
            _send_batch(rows, deadline, pipeline)
    schedule_next()
    return pipeline.sent


def _send_batch(rows: list[OutboundMessage], deadline: float, pipeline: _Pipeline) -> None:
    """Interleave numbers: always serve the number whose next slot comes first. Rows are
    claimed here, a number's next CLAIM_AHEAD of slots in one transaction; the HTTP calls and
    their recording run on a few threads, each waiting for its row's slot, so neither a slow
    answer from Meta nor the claiming itself holds up the next slot. Read receipts are not
    messages and wait for no slot."""
    receipts = RECEIPTS
    queues: dict[int, deque[OutboundMessage]] = {}
    for row in rows:
        lane = receipts if row.kind == Kind.READ_RECEIPT else row.number_id
        queues.setdefault(lane, deque()).append(row)
    slots = {lane: _next_slot(lane) for lane in queues}
    # Claim again when less than half of CLAIM_AHEAD is left claimed: about half of it at a
    # time, instead of a row or two each time a slot comes into reach.
    refill = (CLAIM_AHEAD / 2).total_seconds()
    while queues:
        lane = min(queues, key=lambda n: slots[n])
        wait = (slots[lane] - timezone.now()).total_seconds() - refill
        if wait > 0:
            if time.monotonic() + wait >= deadline:
                break
            time.sleep(wait)
        elif time.monotonic() >= deadline:
            break
        now = timezone.now()
        if lane == RECEIPTS:
            row = queues[lane].popleft()
            if _claim(row, now):
                pipeline.submit(row, now, now)
        else:
            claimed = _claim_lane(queues[lane], now, CLAIM_AHEAD)
            for row, slot in claimed:
                pipeline.submit(row, now, slot)
            slots[lane] = _taken_slots.get(lane, slots[lane])
        if not queues[lane]:
            del queues[lane]


def send_one(row: OutboundMessage) -> bool:
    """Claim, send and record one row; False if it was not sent now."""
    now = timezone.now()
    if not _claim(row, now):
        return False
    return deliver(row, now)


def deliver(row: OutboundMessage, claimed_at: datetime) -> bool:
    """Send a claimed row and record the outcome."""
    result = _call(row, claimed_at)
    if result is None:
        return False
    return _record_results([(row, result)]) == 1


def _call(row: OutboundMessage, claimed_at: datetime) -> graph.GraphResult | None:
    """The HTTP call for a claimed row; None if it was not made (the row is settled)."""
    needs_upload = row.kind == Kind.MEDIA and not row.media_id and window_open(row, claimed_at)
    if needs_upload and not upload(row):
        return None
    try:
        body = build_request(row, claimed_at)
    except message_templates.TemplateNotApproved as error:
        with one_writer():
            message_templates.hold(row, error)
        return None
    except TemplateMissing as error:
        with one_writer():
            fail(row, None, str(error))
        return None
    return graph.send_message(row.number.phone_number_id, body, save_log=False)


def _record_results(results: list[tuple[OutboundMessage, graph.GraphResult]]) -> int:
    """Record the outcome of sends in one transaction (a savepoint each, so one row's
    failure loses no other); returns how many Meta accepted."""
    accepted = 0
    with one_writer(), transaction.atomic():
        for row, result in results:
            try:
                with transaction.atomic():
                    result.log.save()
                    if row.kind != Kind.READ_RECEIPT:
                        # Meta counted the message when it arrived, between the claim and
                        # now; dating our take to now keeps our bucket at least as empty.
                        RecipientPace.objects.filter(
                            number_id=row.number_id, recipient=row.recipient
                        ).update(updated_at=timezone.now())
                    record(row, result)
            except Exception:  # one row's bug must not lose the others' outcomes
                logger.exception("recording outbox row %s failed", row.pk)
            else:
                accepted += result.ok
    return accepted


def upload(row: OutboundMessage) -> bool:
    """Upload a media row's attachment and keep Meta's media id on the row; on failure the
    row is retried or failed like a send (nothing reached the citizen either way)."""
    attachment = Attachment.objects.filter(pk=row.content.get("attachment")).first()
    try:
        if attachment is None:
            raise OSError("the attachment is gone")
        with attachment.file.open("rb") as file:
            content = file.read()
    except OSError as error:
        with one_writer():
            fail(row, None, f"attachment not readable: {error}")
        return False
    result = graph.upload_media(
        row.number.phone_number_id,
        content=content,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        mime_type=attachment.content_type,
        save_log=False,
    )
    media_id = str(result.data.get("id") or "")[:200] if result.ok else ""
    with one_writer(), transaction.atomic():
        result.log.save()
        if media_id:
            OutboundMessage.objects.filter(pk=row.pk).update(media_id=media_id)
            row.media_id = media_id
        elif result.ok or result.outcome in (graph.Outcome.NOT_SENT, graph.Outcome.UNKNOWN):
            # An upload sends nothing to the citizen: trying it again is always safe.
            retry(row, None, f"upload: {result.error_detail or 'no media id'}")
        elif result.error_code in RETRY_CODES or (result.status_code or 0) >= 500:
            retry(row, result.error_code, f"upload: {result.error_detail}")
        else:
            fail(row, result.error_code, f"upload: {result.error_detail}")
    return bool(media_id)


class _Pipeline:
    """A few threads that make the HTTP calls of claimed rows, and one that records their
    outcomes, many per transaction (one transaction per send made the sending threads queue
    on the database's write lock, and a thread waiting there is a send that is late). Each
    thread closes its database connection at the end. Leaving the `with` block waits for
    every row handed over to be sent and recorded."""

    def __init__(self, threads: int):
        self.size = max(1, threads)
        self.queue: Queue[tuple[OutboundMessage, datetime, datetime] | None] = Queue()
        self.threads: list[threading.Thread] = []
        self.sent = 0
        self.results: Queue[tuple[OutboundMessage, graph.GraphResult] | None] = Queue()
        self.recorder = threading.Thread(target=self._record, name="whatsapp-recorder", daemon=True)
        self.recorder.start()

    def __enter__(self) -> _Pipeline:
        return self

    def submit(self, row: OutboundMessage, claimed_at: datetime, slot: datetime) -> None:
        """Deliver `row` at `slot` (never before: Meta counts a sliding second)."""
        if len(self.threads) < self.size and self.queue.qsize() >= len(self.threads):
            thread = threading.Thread(target=self._work, name="whatsapp-sender", daemon=True)
            thread.start()
            self.threads.append(thread)
        self.queue.put((row, claimed_at, slot))

    def _work(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                row, claimed_at, slot = item
                window = self._wait_for_turn(row, slot)
                try:
                    result = _call(row, claimed_at)
                except Exception:  # one row's bug must not stop the others
                    logger.exception("delivering outbox row %s failed", row.pk)
                    continue
                finally:
                    if window is not None:
                        with _windows_lock:
                            window.finish(time.monotonic())
                if result is not None:
                    self.results.put((row, result))
        finally:
            connection.close()

    def _record(self) -> None:
        try:
            done = False
            while not done:
                batch = [self.results.get()]
                while not self.results.empty() and len(batch) < BATCH:
                    batch.append(self.results.get())
                if batch[-1] is None:
                    done = True
                    batch.pop()
                if batch:
                    self.sent += _record_results(batch)
        finally:
            connection.close()

    @staticmethod
    def _wait_for_turn(row: OutboundMessage, slot: datetime) -> SendWindow | None:
        """Wait for the row's slot, then for its turn in the number's window; returns the
        window the send is counted in (None for a read receipt, which Meta does not count)."""
        wait = (slot - timezone.now()).total_seconds()
        if wait > 0:
            time.sleep(wait)
        if row.kind == Kind.READ_RECEIPT:
            return None
        window = _window_for(row.number_id)
        limit, step = throughput(row.number), interval(row.number)
        while True:
            with _windows_lock:
                now = time.monotonic()
                at = window.earliest_start(now, limit=limit, interval=step)
                if at is not None and at <= now:
                    window.start(now, interval=step)
                    return window
            time.sleep(WINDOW_POLL_SECONDS if at is None else at - now)

    def __exit__(self, *exc) -> None:
        for _thread in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        self.results.put(None)  # after every result: the sending threads are done
        self.recorder.join()


class _SlotTaken(Exception):
    """Another worker took this number's next slot: wait for the one after."""

    def __init__(self, slot: datetime):
        self.slot = slot


def _claim(row: OutboundMessage, now: datetime) -> bool:
    """Claim one row for sending now (its number's slot must be now)."""
    if row.kind == Kind.READ_RECEIPT:
        # Read receipts are not messages: they take no throughput slot and no pair token.
        with one_writer():
            return _mark_sending([row], now) == 1
    return bool(_claim_lane(deque([row]), now, timedelta(0)))


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


def _claim_lane(
    lane: deque[OutboundMessage], now: datetime, ahead: timedelta
) -> list[tuple[OutboundMessage, datetime]]:
    """Claim the rows at the head of one number's lane for its slots up to `ahead` from now,
    in one transaction: (row, slot) for each. Rows taken off the lane: those claimed, those
    postponed for an empty pair bucket, those another worker had claimed."""
    try:
        with one_writer(), transaction.atomic():
            return _claim_slots(lane, now, ahead)
    except _SlotTaken as taken:
        _taken_slots[lane[0].number_id] = taken.slot
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
        _taken_slots[number.pk] = slot
    return claimed


# --- pacing ----------------------------------------------------------------------------------


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


def _window_for(number_id: int) -> SendWindow:
    with _windows_lock:
        return _windows.setdefault(number_id, SendWindow())


def _next_slot(number_id: int) -> datetime:
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


def _empty_pair_bucket(row: OutboundMessage) -> None:
    RecipientPace.objects.filter(number_id=row.number_id, recipient=row.recipient).update(
        tokens=0.0, updated_at=timezone.now()
    )


# --- the request -----------------------------------------------------------------------------


class TemplateMissing(Exception):
    pass


def window_open(row: OutboundMessage, now: datetime) -> bool:
    """Inside the 24-hour customer service window of this user and this number?"""
    if row.contact_id is None:
        return True  # not a citizen of ours (e.g. an official): the caller decided
    last = InboundMessage.objects.filter(number_id=row.number_id, contact_id=row.contact_id)
    last_at = last.aggregate(at=Max("sent_at"))["at"]
    return last_at is not None and now - last_at < CUSTOMER_SERVICE_WINDOW - WINDOW_MARGIN


def build_request(row: OutboundMessage, now: datetime) -> dict[str, Any]:
    if row.kind == Kind.READ_RECEIPT:
        return {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": row.content.get("message_id", ""),
        }
    body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
    if row.recipient_is_user_id:
        body["recipient"] = row.recipient
    else:
        body["to"] = "+" + row.recipient.lstrip("+")
    body["biz_opaque_callback_data"] = str(row.idempotency_key)
    kind = row.kind
    if kind in (Kind.TEXT, Kind.BUTTONS, Kind.MEDIA) and not window_open(row, now):
        kind = Kind.TEMPLATE
        OutboundMessage.objects.filter(pk=row.pk).update(kind=kind)
        row.kind = kind
    text = row.content.get("text", "")
    if kind == Kind.TEXT:
        body.update(type="text", text={"preview_url": False, "body": text[:4096]})
    elif kind == Kind.BUTTONS:
        buttons = [
            {"type": "reply", "reply": {"id": b["id"][:256], "title": b["title"][:20]}}
            for b in row.content.get("buttons", [])[:3]
        ]
        body.update(
            type="interactive",
            interactive={
                "type": "button",
                "body": {"text": text[:1024]},
                "action": {"buttons": buttons},
            },
        )
    elif kind == Kind.MEDIA:
        media_type = row.content.get("media_type", "document")
        media: dict[str, Any] = {"id": row.media_id}
        if row.content.get("caption"):
            media["caption"] = row.content["caption"][:1024]
        if media_type == "document" and row.content.get("filename"):
            media["filename"] = row.content["filename"][:240]
        body.update({"type": media_type, media_type: media})
    else:
        body.update(type="template", template=template_for(row))
    return body


def template_for(row: OutboundMessage) -> dict[str, Any]:
    purpose = TEMPLATE_FOR.get(row.purpose, "status_update")
    language = settings.WHATSAPP_LANGUAGE
    name = (settings.WHATSAPP_TEMPLATES.get(purpose) or {}).get(language)
    if not name:
        raise TemplateMissing(f"No template configured for {purpose!r} in {language!r}.")
    message_templates.check_approved(name, language)
    params = row.content.get("template_params") or [row.content.get("text", "-")]
    components: list[dict[str, Any]] = [
        {"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in params]}
    ]
    for index, payload in enumerate(row.content.get("template_buttons", [])):
        components.append(
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": payload}],
            }
        )
    return {"name": name, "language": {"code": language}, "components": components}


# --- results ---------------------------------------------------------------------------------


def record(row: OutboundMessage, result: graph.GraphResult) -> None:
    if result.ok:
        _accepted(row, result)
    elif result.outcome == graph.Outcome.UNKNOWN:
        # It may have reached Meta: leave it `sending`; its status webhook (or, failing
        # that, the reconciliation window) decides.
        logger.warning("send of outbox row %s ended unknown: %s", row.pk, result.error_detail)
    elif result.outcome == graph.Outcome.NOT_SENT:
        retry(row, None, result.error_detail)
    elif result.error_code == WINDOW_CLOSED:
        fail(row, WINDOW_CLOSED, result.error_detail)
    elif result.error_code in RETRY_CODES or (result.status_code or 0) >= 500:
        if result.error_code == PAIR_RATE_HIT:
            _empty_pair_bucket(row)
        retry(row, result.error_code, result.error_detail)
    else:
        fail(row, result.error_code, result.error_detail)


@transaction.atomic
def _accepted(row: OutboundMessage, result: graph.GraphResult) -> None:
    messages = result.data.get("messages") if isinstance(result.data, dict) else None
    wamid = ""
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        wamid = str(messages[0].get("id") or "")[:200]
    now = timezone.now()
    rows = OutboundMessage.objects.filter(pk=row.pk)
    changes: dict[str, Any] = {"sent_at": now}
    if wamid:
        changes["wamid"] = wamid
    try:
        with transaction.atomic():
            # A status webhook may have settled the row already (statuses before response).
            moved = rows.filter(state=State.SENDING).update(state=State.SENT, **changes)
    except IntegrityError:
        # Another row holds this wamid (a provider bug): keep ours without; statuses still
        # find it by its idempotency key.
        wamid = ""
        changes.pop("wamid")
        moved = rows.filter(state=State.SENDING).update(state=State.SENT, **changes)
    if moved:
        row.state, row.sent_at = State.SENT, now
        row.wamid = wamid or row.wamid
    else:
        if wamid:
            rows.filter(wamid__isnull=True).update(wamid=wamid)
        rows.filter(sent_at__isnull=True).update(sent_at=now)
        row.refresh_from_db()
    # Statuses that came first were matched by our key; any that carried no key wait
    # under this wamid.
    statuses.apply_stored(row)
    statuses.sync_message(row)


@transaction.atomic
def retry(row: OutboundMessage, code: int | None, detail: str) -> None:
    """Try the same row again later (Meta did not accept it, so it cannot arrive twice)."""
    row.refresh_from_db()
    if row.attempts >= MAX_ATTEMPTS:
        fail(row, code, f"gave up after {row.attempts} attempts: {detail}")
        return
    delay = min(4 ** max(0, row.attempts - 1), MAX_BACKOFF_SECONDS)
    OutboundMessage.objects.filter(pk=row.pk, state=State.SENDING).update(
        state=State.QUEUED,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        error_code=code,
        error_detail=detail[:500],
    )
    if code == THROUGHPUT_HIT:
        SendPace.objects.filter(number_id=row.number_id).update(
            next_slot_at=timezone.now() + timedelta(seconds=1)
        )


@transaction.atomic
def fail(row: OutboundMessage, code: int | None, detail: str) -> None:
    """A send (or an accepted message) failed: record why, then fall back, retry as a new
    send, or stop and alert an administrator."""
    now = timezone.now()
    OutboundMessage.objects.filter(pk=row.pk).exclude(
        state__in=[State.DELIVERED, State.READ]
    ).update(state=State.FAILED, failed_at=now, error_code=code, error_detail=detail[:500])
    row.refresh_from_db()
    if row.state != State.FAILED or row.kind == Kind.READ_RECEIPT:
        statuses.sync_message(row)
        return
    if code == WINDOW_CLOSED and row.kind != Kind.TEMPLATE:
        _replace(row, kind=Kind.TEMPLATE, at=now)
    elif code in RETRY_CODES and row.wamid and row.attempts < MAX_ATTEMPTS:
        # Accepted, then failed for a passing reason: a new send (new key, new wamid).
        delay = min(4 ** max(0, row.attempts - 1), MAX_BACKOFF_SECONDS)
        _replace(row, kind=row.kind, at=now + timedelta(seconds=delay), attempts=row.attempts)
    else:
        _alert_for(row, code, detail)
    statuses.sync_message(row)


def _replace(row: OutboundMessage, *, kind: str, at: datetime, attempts: int = 0) -> None:
    if OutboundMessage.objects.filter(replaces=row).exists():
        return
    OutboundMessage.objects.create(
        number_id=row.number_id,
        recipient=row.recipient,
        recipient_is_user_id=row.recipient_is_user_id,
        contact_id=row.contact_id,
        case_id=row.case_id,
        message_id=row.message_id,
        purpose=row.purpose,
        kind=kind,
        content=row.content,
        media_id=row.media_id if kind == Kind.MEDIA else "",
        replaces=row,
        attempts=attempts,
        next_attempt_at=at,
    )
    tasks.kick_on_commit(tasks.send_outbox, at)


def _alert_for(row: OutboundMessage, code: int | None, detail: str) -> None:
    if code in STOP_CODES:
        kind, title = Alert.Kind.SEND_STOPPED, f"Sending stopped: error {code}"
    elif row.kind == Kind.MEDIA and not code:
        kind, title = Alert.Kind.PLATFORM_ERROR, "A file could not be sent"
    elif row.kind == Kind.TEMPLATE or (code is not None and 132000 <= code < 133000) or not code:
        kind, title = Alert.Kind.TEMPLATE, f"Template message failed: {code or 'not configured'}"
    else:
        kind, title = Alert.Kind.PLATFORM_ERROR, f"WhatsApp refused a message: error {code}"
    raise_alert(
        kind,
        title,
        code=code,
        number=row.number,
        reference=row.recipient if code == 131026 else "",
        detail=f"Outbox row {row.pk} to {row.recipient}: {detail}",
    )


# --- crash recovery and scheduling -----------------------------------------------------------


def reconcile() -> int:
    """Settle rows a dead worker (or a timeout) left in `sending`."""
    cutoff = timezone.now() - timedelta(seconds=settings.WHATSAPP_RECONCILE_SECONDS)
    settled = 0
    stale = OutboundMessage.objects.filter(state=State.SENDING, claimed_at__lt=cutoff)
    for row in stale.order_by("claimed_at")[:BATCH]:
        with transaction.atomic():
            row = OutboundMessage.objects.select_for_update().filter(pk=row.pk).first()
            if row is None or row.state != State.SENDING:
                continue
            known = MessageStatus.objects.filter(callback_data=str(row.idempotency_key))
            if row.wamid:
                known = known | MessageStatus.objects.filter(wamid=row.wamid)
            known = list(known.order_by("at", "pk"))
            for status in known:
                row.refresh_from_db()
                statuses.apply(row, status)
            if not known:
                if _status_may_be_waiting(row):
                    continue
                # Meta never confirmed it: it did not get there. Send it again.
                OutboundMessage.objects.filter(pk=row.pk, state=State.SENDING).update(
                    state=State.QUEUED, next_attempt_at=timezone.now()
                )
            settled += 1
    return settled


def _status_may_be_waiting(row: OutboundMessage) -> bool:
    """Its `sent` status may be in a webhook received but not processed yet (the worker
    that died left a backlog, in the table or still in the spool): then it is too early to
    conclude it never arrived."""
    if spool.backlog() > 0:
        return True
    window = timedelta(seconds=settings.WHATSAPP_RECONCILE_SECONDS)
    return WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.PENDING,
        received_at__gte=row.claimed_at,
        received_at__lte=row.claimed_at + window,
    ).exists()


def schedule_next() -> None:
    """Nudge the sender for the next row that becomes due, or the next reconciliation."""
    queued = OutboundMessage.objects.filter(state=State.QUEUED).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    sending = OutboundMessage.objects.filter(state=State.SENDING).aggregate(at=Min("claimed_at"))[
        "at"
    ]
    candidates = [queued] if queued else []
    if sending:
        candidates.append(sending + timedelta(seconds=settings.WHATSAPP_RECONCILE_SECONDS + 1))
    if candidates:
        tasks.kick(tasks.send_outbox, min(candidates))
