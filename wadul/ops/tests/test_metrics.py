"""/metrics: who may scrape it, and the figures it reads from the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from wadul import testing
from wadul.ops.models import WorkerHeartbeat
from wadul.sla.models import Notification
from wadul.whatsapp import tasks
from wadul.whatsapp.alerts import raise_alert
from wadul.whatsapp.models import Alert, MessageStatus, OutboundMessage, WebhookDelivery

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-0123456789abcdef"


@pytest.fixture(autouse=True)
def metrics_settings(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    return settings


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_it_refuses_a_scrape_without_the_token(client):
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403


def test_it_answers_a_configured_address_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.1").status_code == 403
    # A forwarded address is whatever the client wrote: it never opens the door.
    forwarded = client.get(
        "/metrics", REMOTE_ADDR="192.168.1.1", headers={"X-Forwarded-For": "127.0.0.1"}
    )
    assert forwarded.status_code == 403


def test_it_counts_webhooks_by_state_and_the_backlog_age(client):
    WebhookDelivery.objects.create(body="{}", state="processed")
    WebhookDelivery.objects.create(body="{}", state="flagged")
    WebhookDelivery.objects.create(body="{}", received_at=timezone.now() - timedelta(seconds=50))
    samples = scrape(client)
    assert samples[("wadul_webhooks_stored_total", ())] == 3
    assert samples[("wadul_webhook_deliveries", (("state", "flagged"),))] == 1
    assert samples[("wadul_webhook_deliveries", (("state", "pending"),))] == 1
    assert 50 <= samples[("wadul_webhook_backlog_age_seconds", ())] < 60


def test_it_reports_the_outbox_per_number_errors_and_template_fallbacks(client, unit_a):
    number = testing.create_number(unit_a, "110000000000002")

    def row(**fields):
        return OutboundMessage.objects.create(
            number=number,
            recipient="6281234567890",
            purpose=fields.pop("purpose", "answer"),
            kind=fields.pop("kind", "text"),
            **fields,
        )

    row()
    row()
    row(state="sending")
    failed = row(state="failed", error_code=131047)
    row(state="sent", sent_at=timezone.now(), kind="template", replaces=failed)
    row(state="delivered", sent_at=timezone.now(), kind="template", purpose="status_update")
    row(state="failed", error_code=131026)
    MessageStatus.objects.create(wamid="w1", status="failed", at=timezone.now(), error_code=131049)
    samples = scrape(client)
    pnid = ("phone_number_id", "110000000000002")
    assert samples[("wadul_outbox_depth", (pnid, ("state", "queued")))] == 2
    assert samples[("wadul_outbox_depth", (pnid, ("state", "sending")))] == 1
    assert samples[("wadul_outbox_sent_total", (pnid,))] == 2
    assert samples[("wadul_graph_errors_total", (("code", "131047"), ("source", "send")))] == 1
    assert samples[("wadul_graph_errors_total", (("code", "131049"), ("source", "status")))] == 1
    fallback = (
        "wadul_template_fallbacks_total",
        (("after_failure", "true"), ("purpose", "answer")),
    )
    assert samples[fallback] == 1
    window = (("after_failure", "false"), ("purpose", "status_update"))
    assert samples[("wadul_template_fallbacks_total", window)] == 1


def test_it_reports_open_alerts_by_code_and_number(client, unit_a):
    number = testing.create_number(unit_a, "110000000000002")
    raise_alert(Alert.Kind.SEND_STOPPED, "token expired", code=190, number=number)
    resolved = raise_alert(Alert.Kind.SEND_STOPPED, "blocked", code=368, number=number)
    Alert.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now())
    samples = scrape(client)
    labels = (("code", "190"), ("kind", "send_stopped"), ("phone_number_id", "110000000000002"))
    assert samples[("wadul_whatsapp_alerts_open", labels)] == 1
    assert not any(
        name == "wadul_whatsapp_alerts_open" and ("code", "368") in labels_
        for (name, labels_) in samples
    )


def test_it_reports_queues_their_workers_and_task_latency(client):
    WorkerHeartbeat.objects.create(worker_id="w1", queues="default", host="h", pid=7)
    tasks.process_webhooks.enqueue()
    samples = scrape(client)
    assert samples[("wadul_tasks_ready", (("queue", "default"),))] == 1
    assert samples[("wadul_tasks_ready", (("queue", "outbox"),))] == 0
    assert samples[("wadul_queue_live_workers", (("queue", "default"),))] == 1
    assert samples[("wadul_queue_live_workers", (("queue", "outbox"),))] == 0
    DBTaskResult.objects.update(started_at=timezone.now(), status="RUNNING")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=3))
    samples = scrape(client)
    latency = samples[("wadul_task_latency_seconds", (("quantile", "0.5"), ("queue", "default")))]
    assert 2.5 < latency < 4


def test_it_counts_deadline_warnings_breaches_and_escalations(client, unit_a, official_a):
    case = testing.create_case(unit=unit_a)
    event = case.events.first()
    for kind in ("warning", "breached", "breached"):
        Notification.objects.create(
            recipient=official_a,
            case=case,
            event=event if kind == "warning" else case.events.create(kind="note", data={}),
            kind=kind,
            deadline="first_response",
            due_at=timezone.now(),
        )
    samples = scrape(client)
    assert samples[("wadul_sla_notifications_total", (("kind", "warning"),))] == 1
    assert samples[("wadul_sla_notifications_total", (("kind", "breached"),))] == 2
    assert samples[("wadul_sla_notifications_total", (("kind", "escalated"),))] == 0
