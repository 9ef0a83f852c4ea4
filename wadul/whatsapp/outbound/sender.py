"""The outbox sender: sends due rows at the pace Meta allows, and never sends one twice.

The pace is `pacing.py`'s (slots, pair buckets, the sliding window), each row's request
`requests.py`'s, and what each answer means `outcomes.py`'s; this module runs the loop: read
due rows, claim them, make the HTTP calls on a few threads and record the answers in batches.

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

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from wadul.cases.models import Attachment
from wadul.core.db import one_writer
from wadul.whatsapp import nudge
from wadul.whatsapp.models import MessageStatus, OutboundMessage, RecipientPace, WebhookDelivery
from wadul.whatsapp.outbound import graph, message_templates, outcomes, pacing, requests, statuses

logger = logging.getLogger(__name__)

State = OutboundMessage.State
Kind = OutboundMessage.Kind

BATCH = 500


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
    receipts = pacing.RECEIPTS
    queues: dict[int, deque[OutboundMessage]] = {}
    for row in rows:
        lane = receipts if row.kind == Kind.READ_RECEIPT else row.number_id
        queues.setdefault(lane, deque()).append(row)
    slots = {lane: pacing.next_slot(lane) for lane in queues}
    # Claim again when less than half of CLAIM_AHEAD is left claimed: about half of it at a
    # time, instead of a row or two each time a slot comes into reach.
    refill = (pacing.CLAIM_AHEAD / 2).total_seconds()
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
        if lane == pacing.RECEIPTS:
            row = queues[lane].popleft()
            if pacing.claim(row, now):
                pipeline.submit(row, now, now)
        else:
            claimed = pacing.claim_lane(queues[lane], now, pacing.CLAIM_AHEAD)
            for row, slot in claimed:
                pipeline.submit(row, now, slot)
            slots[lane] = pacing.taken_slots.get(lane, slots[lane])
        if not queues[lane]:
            del queues[lane]


def send_one(row: OutboundMessage) -> bool:
    """Claim, send and record one row; False if it was not sent now."""
    now = timezone.now()
    if not pacing.claim(row, now):
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
    needs_upload = (
        row.kind == Kind.MEDIA and not row.media_id and requests.window_open(row, claimed_at)
    )
    if needs_upload and not upload(row):
        return None
    try:
        body = requests.build_request(row, claimed_at)
    except message_templates.TemplateNotApproved as error:
        with one_writer():
            message_templates.hold(row, error)
        return None
    except requests.TemplateMissing as error:
        with one_writer():
            outcomes.fail(row, None, str(error))
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
                    outcomes.record(row, result)
                    if result.ok:
                        # Statuses that came first were matched by our key; any that
                        # carried no key wait under this wamid.
                        statuses.apply_stored(row)
                        outcomes.sync_message(row)
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
            outcomes.fail(row, None, f"attachment not readable: {error}")
        return False
    result = graph.upload_media(
        row.number.phone_number_id,
        content=content,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        mime_type=attachment.content_type,
        save_log=False,
    )
    with one_writer(), transaction.atomic():
        result.log.save()
        return outcomes.record_upload(row, result)


class _Pipeline:
    """A few threads that make the HTTP calls of claimed rows, and one that records their
    outcomes, many per transaction (one transaction per send made the sending threads queue
    on the database's write lock, and a thread waiting there is a send that is late). Each
    thread closes its database connection at the end. Leaving the `with` block waits for
    every row handed over to be sent and recorded.

    Two messages to one citizen are sent one after the other, in the order handed over: a
    thread waits until the call of the citizen's previous message has returned (two calls in
    flight at once may reach Meta in either order: a prompt after the answer to it)."""

    def __init__(self, threads: int):
        self.size = max(1, threads)
        # Each row with the event its call sets when it returns, and the event of the
        # citizen's previous row (None for the first, and for read receipts).
        Item = tuple[OutboundMessage, datetime, datetime, threading.Event | None, threading.Event]
        self.queue: Queue[Item | None] = Queue()
        self.last_to: dict[str, threading.Event] = {}
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
        done, after = threading.Event(), None
        if row.kind != Kind.READ_RECEIPT:
            after, self.last_to[row.recipient] = self.last_to.get(row.recipient), done
        self.queue.put((row, claimed_at, slot, after, done))

    def _work(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                row, claimed_at, slot, after, done = item
                try:
                    # Handed over earlier, so already taken by a thread: this wait ends.
                    if after is not None:
                        after.wait()
                    window = pacing.wait_for_turn(row, slot)
                    try:
                        result = _call(row, claimed_at)
                    finally:
                        pacing.finished(window)
                except Exception:  # one row's bug must not stop the others
                    logger.exception("delivering outbox row %s failed", row.pk)
                    continue
                finally:
                    done.set()
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

    def __exit__(self, *exc) -> None:
        for _thread in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        self.results.put(None)  # after every result: the sending threads are done
        self.recorder.join()


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
    that died left a backlog): then it is too early to conclude it never arrived."""
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
        nudge.kick("send_outbox", min(candidates))
