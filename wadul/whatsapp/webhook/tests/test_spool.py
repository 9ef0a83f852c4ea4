"""Webhooks spooled to a file before the 200, moved into the table by the worker: each once,
whatever crashes, forks, rotations or damage happen in between (real files, real threads,
a real forked process, the app over real HTTP)."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from django.db import connections, transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from wadul.whatsapp.models import InboundMessage, SpoolCursor, WebhookDelivery
from wadul.whatsapp.testing import WEBHOOK_PATH, fixture, post_webhook, wait_until
from wadul.whatsapp.webhook import processor, spool
from wadul.whatsapp.webhook.views import sign

pytestmark = pytest.mark.django_db(transaction=True)

Pending, Flagged = WebhookDelivery.State.PENDING, WebhookDelivery.State.FLAGGED


@pytest.fixture(autouse=True)
def _fresh_writer():
    spool.close()
    yield
    spool.close()


def body(n: int) -> bytes:
    return json.dumps({"object": "whatsapp_business_account", "entry": [], "n": n}).encode()


def bodies_in_table() -> list[dict]:
    return [
        json.loads(b) for b in WebhookDelivery.objects.order_by("id").values_list("body", flat=True)
    ]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    child.wait()
    return child.pid


def spool_file(settings, pid: int, records: bytes, age: float = 0.0):
    folder = settings.WHATSAPP_WEBHOOK_SPOOL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{socket.gethostname()}-{pid}-{time.time_ns()}{spool.SUFFIX}"
    path.write_bytes(records)
    if age:
        os.utime(path, (time.time() - age, time.time() - age))
    return path


def record(n: int) -> bytes:
    return spool.encode(body(n), datetime.now(tz=UTC))


def test_a_webhook_over_http_is_spooled_before_its_200_and_the_worker_moves_it(
    app_url, meta_number
):
    payload = json.dumps(fixture("inbound_text")).encode()
    response = httpx.post(
        app_url + WEBHOOK_PATH,
        content=payload,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(payload)},
    )
    assert response.status_code == 200
    # On disk, not yet in the table; the web process nudged the worker.
    assert not WebhookDelivery.objects.exists()
    assert spool.backlog() == spool.HEADER.size + len(payload)
    wait_until(
        DBTaskResult.objects.filter(task_path__endswith="process_webhooks").exists,
        seconds=5,
        what="the worker was never nudged",
    )

    assert processor.drain() == (1, False)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.PROCESSED
    assert json.loads(delivery.body) == fixture("inbound_text")
    assert InboundMessage.objects.count() == 1
    assert spool.backlog() == 0


def test_each_record_is_moved_once_however_often_ingest_runs():
    for n in range(3):
        spool.append(body(n), datetime.now(tz=UTC))
    assert spool.ingest() == 3
    assert spool.ingest() == 0
    spool.append(body(3), datetime.now(tz=UTC))
    assert spool.ingest() == 1
    assert [b["n"] for b in bodies_in_table()] == [0, 1, 2, 3]
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {Pending}


def test_an_ingest_that_fails_part_way_leaves_everything_for_the_next(settings):
    for n in range(3):
        spool.append(body(n), datetime.now(tz=UTC))
    with pytest.raises(RuntimeError), transaction.atomic():
        assert spool.ingest() == 3
        raise RuntimeError("the worker dies before its commit")
    assert not WebhookDelivery.objects.exists()
    assert spool.ingest() == 3
    assert [b["n"] for b in bodies_in_table()] == [0, 1, 2]


def test_workers_ingesting_at_once_move_each_record_once():
    for n in range(200):
        spool.append(body(n), datetime.now(tz=UTC))
    counts: list[int] = []

    def worker() -> None:
        try:
            counts.append(spool.ingest(max_bytes=2048))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 200
    assert sorted(b["n"] for b in bodies_in_table()) == list(range(200))


def test_a_torn_record_is_stored_flagged_and_the_records_after_it_are_kept(settings):
    torn = record(2)[: spool.HEADER.size + 10]
    spool_file(settings, os.getpid(), record(1) + torn + record(3))
    assert spool.ingest() == 3
    rows = list(WebhookDelivery.objects.order_by("id").values_list("state", "notes", "body"))
    assert [json.loads(rows[0][2])["n"], json.loads(rows[2][2])["n"]] == [1, 3]
    assert rows[0][0] == rows[2][0] == Pending
    assert rows[1][0] == Flagged and "damaged spool record" in rows[1][1]


def test_a_record_with_a_bad_checksum_is_flagged(settings):
    damaged = bytearray(record(2))
    damaged[-3] ^= 0xFF
    spool_file(settings, os.getpid(), record(1) + bytes(damaged) + record(3))
    assert spool.ingest() == 3
    assert list(WebhookDelivery.objects.order_by("id").values_list("state", flat=True)) == [
        Pending,
        Flagged,
        Pending,
    ]


def test_a_live_writers_incomplete_last_record_waits_for_the_rest(settings):
    whole = record(2)
    path = spool_file(settings, os.getpid(), record(1) + whole[:30])
    assert spool.ingest() == 1
    with path.open("ab") as handle:
        handle.write(whole[30:])
    assert spool.ingest() == 1
    assert [b["n"] for b in bodies_in_table()] == [1, 2]
    assert path.exists()  # its writer is alive: it may append more


def test_a_dead_writers_file_is_finished_its_torn_tail_flagged_and_deleted(settings):
    path = spool_file(settings, dead_pid(), record(1) + record(2)[:30], age=60)
    assert spool.ingest() == 2
    assert list(WebhookDelivery.objects.order_by("id").values_list("state", flat=True)) == [
        Pending,
        Flagged,
    ]
    assert not path.exists()
    assert not SpoolCursor.objects.exists()


def test_a_dead_writers_file_is_kept_until_it_has_been_quiet_for_a_while(settings):
    path = spool_file(settings, dead_pid(), record(1))
    assert spool.ingest() == 1
    assert path.exists()  # a thread of a writer may still hold it


def test_rotation_starts_a_new_file_and_the_old_one_is_retired(settings, monkeypatch):
    monkeypatch.setattr(spool, "ROTATE_BYTES", 3 * len(record(0)))
    for n in range(7):
        spool.append(body(n), datetime.now(tz=UTC))
    files = sorted(settings.WHATSAPP_WEBHOOK_SPOOL_DIR.iterdir())
    assert len(files) == 3
    assert spool.ingest() == 7
    monkeypatch.setattr(spool, "GRACE_SECONDS", 0.0)
    assert spool.ingest() == 0
    # The older files are finished (a newer one of the same writer exists) and deleted.
    assert list(settings.WHATSAPP_WEBHOOK_SPOOL_DIR.iterdir()) == [files[-1]]
    assert [b["n"] for b in bodies_in_table()] == list(range(7))


def test_a_forked_process_appends_to_a_file_of_its_own(settings):
    spool.append(body(1), datetime.now(tz=UTC))
    child = os.fork()
    if child == 0:  # pragma: no cover (runs in the child)
        try:
            spool.append(body(2), datetime.now(tz=UTC))
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    spool.append(body(3), datetime.now(tz=UTC))
    pids = {p.stem.rsplit("-", 2)[1] for p in settings.WHATSAPP_WEBHOOK_SPOOL_DIR.iterdir()}
    assert pids == {str(os.getpid()), str(child)}
    assert spool.ingest() == 3
    assert sorted(b["n"] for b in bodies_in_table()) == [1, 2, 3]


def test_the_webhook_answers_503_when_the_spool_cannot_be_written(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.WHATSAPP_WEBHOOK_SPOOL_DIR = blocker / "spool"
    response = post_webhook(Client(), "inbound_text")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    settings.WHATSAPP_WEBHOOK_SPOOL_DIR = tmp_path / "spool"
    assert post_webhook(Client(), "inbound_text").status_code == 200
    assert spool.ingest() == 1


def test_a_record_is_stamped_with_the_time_it_was_appended():
    before = datetime.now(tz=UTC)
    spool.append(body(1))
    after = datetime.now(tz=UTC)
    assert spool.ingest() == 1
    received = WebhookDelivery.objects.get().received_at
    assert before - timedelta(milliseconds=1) <= received <= after + timedelta(milliseconds=1)


@pytest.mark.parametrize("fsync", [True, False])
def test_with_fsync_each_write_returns_only_once_on_disk(settings, fsync):
    settings.WHATSAPP_WEBHOOK_SPOOL_FSYNC = fsync
    spool.append(body(1), datetime.now(tz=UTC))
    flags = fcntl.fcntl(spool._writer._fd, fcntl.F_GETFL)
    assert bool(flags & os.O_DSYNC) is fsync
    assert flags & os.O_APPEND


def test_with_the_spool_off_the_view_writes_the_table_itself(settings):
    settings.WHATSAPP_WEBHOOK_SPOOL = False
    assert post_webhook(Client(), "inbound_text").status_code == 200
    assert WebhookDelivery.objects.count() == 1
    assert spool.backlog() == 0


def ready_nudges() -> int:
    return DBTaskResult.objects.filter(
        task_path__endswith="process_webhooks", status="READY"
    ).count()


def test_the_last_append_of_a_burst_is_always_followed_by_a_nudge(settings):
    spool.append(body(1), datetime.now(tz=UTC))
    assert ready_nudges() == 1  # the first append nudged at once
    # A worker starts on that nudge (it will not see what is appended from now on)…
    DBTaskResult.objects.filter(status="READY").update(status="RUNNING")
    spool.append(body(2), datetime.now(tz=UTC))
    assert ready_nudges() == 0  # …this append, within the interval, did not query the queue
    wait_until(ready_nudges, seconds=5, what="the append after the nudge was never nudged")
