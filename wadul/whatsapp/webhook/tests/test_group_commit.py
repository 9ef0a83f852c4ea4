"""Webhook deliveries stored by group commit: what many concurrent requests see (real
threads, each with its own database connection, outside any test transaction)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from wadul.core.schedule import EVERY_MINUTE
from wadul.whatsapp.models import WebhookDelivery
from wadul.whatsapp.tasks import process_webhooks
from wadul.whatsapp.testing import post_webhook, wait_until
from wadul.whatsapp.webhook import deliveries

pytestmark = pytest.mark.django_db(transaction=True)


TABLE = WebhookDelivery._meta.db_table


@contextmanager
def table_write_locked() -> Iterator[None]:
    """Hold the deliveries table's write lock on this thread's connection, so that the other
    threads' INSERTs wait for it."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
            else:
                # SQLite: the transaction was begun IMMEDIATE, which took the write lock;
                # the statement makes sure of it.
                cursor.execute(f"DELETE FROM {TABLE} WHERE 1 = 0")  # noqa: S608
        yield


def post_in_thread(results: list, index: int) -> None:
    try:
        results[index] = post_webhook(Client(), "inbound_text").status_code
    finally:
        connections.close_all()


def start(results: list, index: int) -> threading.Thread:
    thread = threading.Thread(target=post_in_thread, args=(results, index))
    thread.start()
    return thread


def waiting_requests() -> int:
    with deliveries._group._lock:
        return len(deliveries._group._waiting)


def test_requests_arriving_during_a_commit_share_the_next_one():
    transactions_before = deliveries.stats.transactions
    results: list = [None] * 11
    threads = []
    with table_write_locked():
        # The first request leads and blocks on the lock; ten more arrive and wait for it.
        threads.append(start(results, 0))
        wait_until(lambda: deliveries._group._writing and waiting_requests() == 0)
        threads += [start(results, i) for i in range(1, 11)]
        wait_until(lambda: waiting_requests() == 10)
        assert WebhookDelivery.objects.count() == 0
    for thread in threads:
        thread.join(30)
    assert results == [200] * 11
    assert WebhookDelivery.objects.count() == 11
    # One transaction for the first, one for the ten that waited behind it.
    assert deliveries.stats.transactions - transactions_before == 2
    assert DBTaskResult.objects.filter(task_path__endswith="process_webhooks").count() == 1


def test_a_failed_commit_answers_503_to_every_request_in_it_and_the_next_ones_are_stored():
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO whatsapp_deliveries_away")
    try:
        results: list = [None] * 3
        threads = [start(results, i) for i in range(3)]
        for thread in threads:
            thread.join(30)
        assert results == [503] * 3
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE whatsapp_deliveries_away RENAME TO {TABLE}")
    assert WebhookDelivery.objects.count() == 0
    assert not deliveries._group._writing
    results = [None]
    start(results, 0).join(30)
    assert results == [200]
    assert WebhookDelivery.objects.count() == 1


def test_a_request_that_waits_too_long_gives_up_with_503_and_is_not_written_later(settings):
    results: list = [None] * 2
    timeout, deliveries.WAIT_SECONDS = deliveries.WAIT_SECONDS, 0.3
    try:
        with table_write_locked():
            leader = start(results, 0)
            wait_until(lambda: deliveries._group._writing)
            follower = start(results, 1)
            follower.join(10)
            assert results[1] == 503
            assert waiting_requests() == 0
    finally:
        deliveries.WAIT_SECONDS = timeout
    leader.join(30)
    assert results[0] == 200
    assert WebhookDelivery.objects.count() == 1
    assert not deliveries._group._writing


def test_the_scheduler_nudges_the_webhook_processor_every_minute():
    # What processes a stored delivery whose own nudge failed (`deliveries._kick`).
    assert process_webhooks in EVERY_MINUTE


def test_the_scheduler_nudges_the_sender_every_minute():
    from wadul.core.schedule import EVERY_MINUTE
    from wadul.whatsapp.tasks import send_outbox

    # What sends (and reconciles) the rows of a sender killed with its run's nudge.
    assert send_outbox in EVERY_MINUTE
