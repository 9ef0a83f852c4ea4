"""Test support for the WhatsApp channel: signed fixture posts, the app served over real HTTP
in a thread, and a worker loop run in-process until everything has settled."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.utils import timezone

from wadul.whatsapp.models import MediaDownload, OutboundMessage, WebhookDelivery
from wadul.whatsapp.outbound import media, message_templates, sender
from wadul.whatsapp.webhook import processor
from wadul.whatsapp.webhook.views import sign

FIXTURES = Path(__file__).resolve().parent / "webhook" / "tests" / "fixtures"
WEBHOOK_PATH = "/webhooks/whatsapp/"


def fixture(name: str) -> dict[str, Any]:
    """A recorded payload from `webhook/tests/fixtures/<name>.json`."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def post_webhook(client: Client, payload: str | dict[str, Any], *, secret: str | None = None):
    """POST a payload (a fixture name, or the payload itself) signed like Meta signs it."""
    if isinstance(payload, str):
        payload = fixture(payload)
    body = json.dumps(payload).encode()
    return client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(body, secret)},
    )


def wait_until(condition: Any, seconds: float = 10.0, what: str = "timed out") -> None:
    """Poll `condition` every 10 ms until it holds; fail with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def run_worker(*, seconds: float = 10.0, settle: Any = None) -> None:
    """Drain deliveries, media and the outbox in this process until nothing is left that
    falls due within `seconds` (retries after a backoff included). `settle` (e.g. the
    simulator's `wait_idle`) is called between rounds so webhooks the simulator sends back
    (statuses) are processed too."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processor.drain(budget_seconds=1.0)
        media.drain(budget_seconds=1.0)
        sender.drain(budget_seconds=1.0)
        if settle is not None:
            settle()
        horizon = timezone.now() + timedelta(seconds=max(0.0, deadline - time.monotonic()))
        if not _work_left(horizon):
            return
        time.sleep(0.02)
    raise AssertionError("the WhatsApp worker did not settle in time")


def _work_left(horizon) -> bool:
    return (
        WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING).exists()
        or MediaDownload.objects.filter(
            state=MediaDownload.State.PENDING, next_attempt_at__lte=horizon
        ).exists()
        or OutboundMessage.objects.filter(
            state=OutboundMessage.State.QUEUED, next_attempt_at__lte=horizon
        ).exists()
    )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass


@contextmanager
def serving_app(port: int, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the whole Django app over HTTP in a background thread; yields its base URL.
    Each request thread closes its database connections when done."""
    server = ThreadedWSGIServer((host, port), _QuietHandler, allow_reuse_address=True)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="wadul-app", daemon=True
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def approve_templates() -> None:
    """The product's templates as Meta approved them (what `wadul whatsapp_templates push`
    and Meta's review leave behind), for tests that send outside the 24-hour window."""
    for spec in message_templates.product_templates():
        message_templates.record_status(
            name=spec.name, language=spec.language, status="APPROVED", via="sync"
        )
