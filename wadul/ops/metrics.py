"""Prometheus metrics, computed from the database when scraped.

Web processes, workers and the scheduler are separate processes (on several hosts, in the
end), so in-process counters would each see a slice; the database sees everything. Each
scrape runs a handful of grouped counts. Counters are counts of rows that only grow
(deliveries stored, messages sent, errors seen): Prometheus's rate() turns them into rates.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Case, Count, Min, Q, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from wadul.ops import readiness
from wadul.ops.models import WorkerHeartbeat
from wadul.sla.models import Notification
from wadul.whatsapp.models import Alert, MessageStatus, OutboundMessage, WebhookDelivery

# Task latency is measured over the tasks started within this window.
LATENCY_WINDOW = timedelta(minutes=5)
LATENCY_SAMPLE = 5000
QUANTILES = (0.5, 0.95, 0.99)


class WadulCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        yield from _webhooks(now)
        yield from _outbox(now)
        yield from _graph_errors()
        yield from _tasks(now)
        yield from _workers(now)
        yield from _sla()
        yield from _alerts()


def _webhooks(now) -> Iterator[Metric]:
    by_state = dict(WebhookDelivery.objects.values_list("state").annotate(n=Count("id")).order_by())
    stored = CounterMetricFamily(
        "wadul_webhooks_stored", "Webhook deliveries stored in the table (any state)."
    )
    stored.add_metric([], sum(by_state.values()))
    yield stored
    states = GaugeMetricFamily(
        "wadul_webhook_deliveries",
        "Webhook deliveries by state (pending, processed, flagged for replay).",
        labels=["state"],
    )
    for state in WebhookDelivery.State.values:
        states.add_metric([state], by_state.get(state, 0))
    yield states
    yield GaugeMetricFamily(
        "wadul_webhook_backlog_age_seconds",
        "Age of the oldest webhook not yet processed (pending in the table).",
        value=readiness.webhook_backlog_seconds(now),
    )


def _outbox(now) -> Iterator[Metric]:
    depth = GaugeMetricFamily(
        "wadul_outbox_depth",
        "Outbound messages waiting (queued) or in flight (sending), per number.",
        labels=["phone_number_id", "state"],
    )
    waiting = (
        OutboundMessage.objects.filter(state__in=["queued", "sending"])
        .values_list("number__phone_number_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for pnid, state, n in waiting:
        depth.add_metric([pnid, state], n)
    yield depth
    sent = CounterMetricFamily(
        "wadul_outbox_sent",
        "Outbound messages accepted by the Graph API, per number (rate(): send rate).",
        labels=["phone_number_id"],
    )
    for pnid, n in (
        OutboundMessage.objects.filter(sent_at__isnull=False)
        .values_list("number__phone_number_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        sent.add_metric([pnid], n)
    yield sent
    yield GaugeMetricFamily(
        "wadul_outbox_lag_seconds",
        "How long the message most overdue for sending has waited past its time.",
        value=readiness.outbox_lag_seconds(now),
    )
    fallbacks = CounterMetricFamily(
        "wadul_template_fallbacks",
        "Messages sent as an approved template instead of free text (outside the 24-hour "
        "window; after_failure: replacing a send refused with 131047).",
        labels=["purpose", "after_failure"],
    )
    for purpose, replaced, n in (
        OutboundMessage.objects.filter(kind=OutboundMessage.Kind.TEMPLATE)
        .values_list("purpose")
        .annotate(replaced=Count("id", filter=Q(replaces__isnull=False)), n=Count("id"))
        .order_by()
    ):
        fallbacks.add_metric([purpose, "false"], n - replaced)
        fallbacks.add_metric([purpose, "true"], replaced)
    yield fallbacks


def _graph_errors() -> Iterator[Metric]:
    errors = CounterMetricFamily(
        "wadul_graph_errors",
        "Graph API error codes: on the send (the last error of each message) and in failed "
        "status webhooks.",
        labels=["code", "source"],
    )
    for source, model in (("send", OutboundMessage), ("status", MessageStatus)):
        for code, n in (
            model.objects.filter(error_code__isnull=False)
            .values_list("error_code")
            .annotate(n=Count("id"))
            .order_by()
        ):
            errors.add_metric([str(code), source], n)
    yield errors


def _tasks(now) -> Iterator[Metric]:
    queues = readiness.queues()
    waiting = GaugeMetricFamily(
        "wadul_tasks_ready", "Background tasks due and not yet started.", labels=["queue"]
    )
    oldest = GaugeMetricFamily(
        "wadul_task_oldest_ready_seconds",
        "How long the oldest due task of each queue has waited.",
        labels=["queue"],
    )
    ready = (
        DBTaskResult.objects.ready()
        .values_list("queue_name")
        .annotate(n=Count("id"), first=Min(_due()))
        .order_by()
    )
    seen = {queue: (n, first) for queue, n, first in ready}
    for queue in queues:
        n, first = seen.get(queue, (0, None))
        waiting.add_metric([queue], n)
        oldest.add_metric([queue], (now - first).total_seconds() if first else 0.0)
    yield waiting
    yield oldest
    latency = GaugeMetricFamily(
        "wadul_task_latency_seconds",
        "From due to started, over the tasks started in the last 5 minutes (quantiles).",
        labels=["queue", "quantile"],
    )
    started = (
        DBTaskResult.objects.filter(started_at__gte=now - LATENCY_WINDOW)
        .annotate(due=_due())
        .values_list("queue_name", "due", "started_at")[:LATENCY_SAMPLE]
    )
    delays: dict[str, list[float]] = {}
    for queue, due, began in started:
        delays.setdefault(queue, []).append(max(0.0, (began - due).total_seconds()))
    for queue, values in sorted(delays.items()):
        values.sort()
        for q in QUANTILES:
            latency.add_metric([queue, str(q)], values[min(len(values) - 1, int(q * len(values)))])
    yield latency


def _due():
    # A task enqueued to run later is due at run_after; one without (the date "max") is
    # due when enqueued.
    return Case(
        When(run_after=get_date_max(), then="enqueued_at"),
        default=Greatest("enqueued_at", "run_after"),
    )


def _workers(now) -> Iterator[Metric]:
    age = GaugeMetricFamily(
        "wadul_worker_heartbeat_age_seconds",
        "Seconds since each task worker last recorded its heartbeat.",
        labels=["host", "pid", "queues"],
    )
    for beat in WorkerHeartbeat.objects.all():
        age.add_metric(
            [beat.host, str(beat.pid), beat.queues], (now - beat.beat_at).total_seconds()
        )
    yield age
    live = GaugeMetricFamily(
        "wadul_queue_live_workers",
        "Workers with a fresh heartbeat serving each queue (0: nobody runs its tasks).",
        labels=["queue"],
    )
    for queue, count in readiness.live_workers(now).items():
        live.add_metric([queue], count)
    yield live


def _sla() -> Iterator[Metric]:
    fired = CounterMetricFamily(
        "wadul_sla_notifications",
        "Deadline warnings, breaches and escalations fired (one per case event, whatever "
        "the number of officials told).",
        labels=["kind"],
    )
    counts = dict(
        Notification.objects.values_list("kind")
        .annotate(n=Count("event", distinct=True))
        .order_by()
    )
    for kind in Notification.Kind.values:
        fired.add_metric([kind], counts.get(kind, 0))
    yield fired


def _alerts() -> Iterator[Metric]:
    open_alerts = GaugeMetricFamily(
        "wadul_whatsapp_alerts_open",
        "Unresolved WhatsApp alerts for administrators (code 190: access token expired or "
        "revoked; 368: number restricted for policy violations).",
        labels=["kind", "code", "phone_number_id"],
    )
    rows = (
        Alert.objects.filter(resolved_at__isnull=True)
        .values_list("kind", "code", "number__phone_number_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for kind, code, pnid, n in rows:
        open_alerts.add_metric([kind, "" if code is None else str(code), pnid or ""], n)
    yield open_alerts


def registry() -> CollectorRegistry:
    """A registry of our own: the default one would add this process's own metrics, which
    describe one process of many."""
    reg = CollectorRegistry(auto_describe=False)
    reg.register(WadulCollector())
    return reg
