"""Logs of the WhatsApp channel: a webhook's request id follows it into the worker, and
nothing at INFO names the citizen, repeats what they wrote or shows a secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.conf import settings

from wadul.core.logs import RequestIdFilter, webhook_request_id
from wadul.whatsapp.conftest import ACCESS_TOKEN, APP_SECRET, UNIT_PNID, VERIFY_TOKEN
from wadul.whatsapp.testing import fixture, post_webhook
from wadul.whatsapp.webhook import processor


class Captured(logging.Handler):
    """Every record at INFO and above, formatted as LOG_FORMAT=json writes it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.addFilter(RequestIdFilter())
        formatter = settings.LOGGING["formatters"]["json"]
        self.setFormatter(
            logging.config.BaseConfigurator({}).resolve(formatter["()"])(
                fmt=formatter["fmt"], rename_fields=formatter["rename_fields"]
            )
        )
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def captured() -> Iterator[Captured]:
    handler = Captured()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
def test_a_webhooks_request_id_follows_it_into_the_worker(client, meta_number, captured, settings):
    settings.LOG_REQUESTS = True
    response = post_webhook(client, "inbound_text")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    body = json.dumps(fixture("inbound_text")).encode()
    assert request_id == webhook_request_id(body)

    processor.drain()

    web = [line for line in captured.lines if line["logger"] == "wadul.request"]
    assert web[-1]["request_id"] == request_id
    assert web[-1]["message"].startswith("POST /webhooks/whatsapp/ 200")
    worker = [
        line for line in captured.lines if line["logger"] == "wadul.whatsapp.webhook.processor"
    ]
    assert [line["request_id"] for line in worker] == [request_id]
    assert "processed" in worker[0]["message"]


@pytest.mark.django_db
def test_a_web_request_keeps_the_proxys_id_and_makes_one_otherwise(client, captured, settings):
    settings.LOG_REQUESTS = True
    given = client.get("/healthz", headers={"X-Request-ID": "caddy-1234abcd"})
    assert given["X-Request-ID"] == "caddy-1234abcd"
    made = client.get("/healthz", headers={"X-Request-ID": "no spaces or quotes, please"})
    assert len(made["X-Request-ID"]) == 32
    assert [line["request_id"] for line in captured.lines] == [
        "caddy-1234abcd",
        made["X-Request-ID"],
    ]


def test_nothing_personal_and_no_secret_is_logged_at_info(
    simulator, settle, unit_number, official_a, captured
):
    citizen, name = "6281299988877", "Wulandari Kusumaningrum"
    text = "NIK saya 3510014506900002, jalan di depan rumah saya berlubang"
    sent = simulator.inbound(
        phone_number_id=UNIT_PNID, **{"from": citizen}, name=name, type="text", text=text
    )
    assert sent["webhook_status"] == 200
    settle()
    # Our own lines only: the simulator (Meta's side) shares this process in tests.
    ours = [
        json.dumps(line)
        for line in captured.lines
        if not line["logger"].startswith("wadul.simulator")
    ]
    assert any("wadul.whatsapp.webhook.processor" in line for line in ours)
    for secret in (
        citizen,
        name,
        "3510014506900002",
        "berlubang",
        ACCESS_TOKEN,
        APP_SECRET,
        VERIFY_TOKEN,
    ):
        leaks = [line for line in ours if secret in line]
        assert not leaks, f"{secret!r} logged: {leaks[0]}"
