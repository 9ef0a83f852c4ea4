"""/healthz and /readyz: each failing check named, 503 until every one passes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from wadul import testing
from wadul.ops.models import WorkerHeartbeat
from wadul.whatsapp.models import OutboundMessage, WebhookDelivery

pytestmark = pytest.mark.django_db


def beat(queues: str, seconds_ago: float = 0, worker: str = "w1") -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker,
        queues=queues,
        host="web1",
        pid=1,
        beat_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


def test_it_answers_healthz_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_it_is_not_ready_without_workers_and_names_each_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker:default", "worker:outbox"]
    assert body["checks"]["database"]["ok"] is True


def test_it_is_ready_with_a_fresh_heartbeat_for_every_queue(client):
    beat("default", worker="w1")
    beat("outbox", seconds_ago=5, worker="w2")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["ready"] is True


def test_one_worker_for_every_queue_serves_them_all(client):
    beat("*")
    assert client.get("/readyz").status_code == 200


def test_a_stale_heartbeat_counts_as_no_worker(client, settings):
    settings.READY_HEARTBEAT_SECONDS = 60
    beat("default", worker="w1")
    beat("outbox", seconds_ago=61, worker="w2")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker:outbox"]


def test_an_old_pending_webhook_fails_the_backlog_check(client, settings):
    settings.READY_WEBHOOK_BACKLOG_SECONDS = 120
    beat("*")
    WebhookDelivery.objects.create(body="{}", received_at=timezone.now() - timedelta(seconds=90))
    assert client.get("/readyz").status_code == 200
    WebhookDelivery.objects.create(body="{}", received_at=timezone.now() - timedelta(seconds=300))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["webhook_backlog"]


def test_a_message_overdue_for_sending_fails_the_outbox_check(client, settings, unit_a):
    settings.READY_OUTBOX_LAG_SECONDS = 300
    beat("*")
    number = testing.create_number(unit_a)
    row = OutboundMessage.objects.create(
        number=number,
        recipient="6281234567890",
        purpose=OutboundMessage.Purpose.ANSWER,
        kind=OutboundMessage.Kind.TEXT,
        next_attempt_at=timezone.now() - timedelta(seconds=30),
    )
    assert client.get("/readyz").status_code == 200
    OutboundMessage.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=400)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["outbox_lag"]
