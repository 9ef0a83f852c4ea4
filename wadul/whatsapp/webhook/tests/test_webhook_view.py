from __future__ import annotations

import json
import threading
import time

import pytest
from django_tasks_db.models import DBTaskResult

from wadul.whatsapp.conftest import VERIFY_TOKEN
from wadul.whatsapp.models import WebhookDelivery
from wadul.whatsapp.testing import WEBHOOK_PATH, fixture, post_webhook
from wadul.whatsapp.webhook.views import MAX_BODY_BYTES, sign, signature_is_valid

pytestmark = pytest.mark.django_db


def test_handshake_answers_the_challenge_with_the_right_token(client):
    response = client.get(
        WEBHOOK_PATH,
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {},
    ],
)
def test_handshake_refuses_a_wrong_token_or_mode(client, params):
    assert client.get(WEBHOOK_PATH, params).status_code == 403


def test_handshake_refuses_everything_when_no_token_is_configured(client, settings):
    settings.WHATSAPP_VERIFY_TOKEN = ""
    response = client.get(
        WEBHOOK_PATH, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    )
    assert response.status_code == 403


def test_a_signed_payload_is_stored_raw_and_queued(client):
    response = post_webhook(client, "inbound_text")
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.PENDING
    assert json.loads(delivery.body) == fixture("inbound_text")
    assert DBTaskResult.objects.filter(task_path__endswith="process_webhooks").count() == 1


def test_a_burst_queues_one_processing_task_not_one_per_webhook(client):
    for _ in range(5):
        assert post_webhook(client, "inbound_text").status_code == 200
    assert WebhookDelivery.objects.count() == 5
    assert DBTaskResult.objects.filter(task_path__endswith="process_webhooks").count() == 1


def test_the_raw_bytes_are_kept_exactly(client):
    body = b'{"object":"whatsapp_business_account","entry":[],  "x":"\\u00e9 caf\xc3\xa9"}'
    response = client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(body)},
    )
    assert response.status_code == 200
    assert WebhookDelivery.objects.get().body.encode() == body


def test_a_missing_signature_is_401_and_nothing_is_stored(client):
    response = client.post(WEBHOOK_PATH, data=b"{}", content_type="application/json")
    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists()


def test_a_wrong_signature_is_403(client):
    response = post_webhook(client, "inbound_text", secret="someone-else")
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "sha256=not-hex-at-all",
        "sha1=" + "0" * 40,
        "sha256=",
        "sha256=abc",
        "garbage",
        "sha256=" + "é" * 64,
    ],
)
def test_a_malformed_signature_header_is_403_not_a_crash(client, header):
    response = client.post(
        WEBHOOK_PATH,
        data=b"{}",
        content_type="application/json",
        headers={"X-Hub-Signature-256": header},
    )
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()


def test_the_signature_hex_may_be_upper_case(client):
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    header = "sha256=" + sign(body).removeprefix("sha256=").upper()
    response = client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": header},
    )
    assert response.status_code == 200


def test_checking_a_signature_keeps_the_interpreter_lock():
    # A check that released the GIL (hmac.digest does) would hand it to the spinning thread
    # and wait a switch interval (5 ms) to get it back, every time.
    body = json.dumps(fixture("inbound_text")).encode()
    header = sign(body)
    spinning = [True]

    def spin() -> None:
        while spinning[0]:
            pass

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        started = time.perf_counter()
        for _ in range(100):
            assert signature_is_valid(body, header)
        elapsed = time.perf_counter() - started
    finally:
        spinning[0] = False
        spinner.join()
    # Measured: 0.4 ms as it is; ~0.2–0.3 s with hmac.digest (a hand-off per call).
    assert elapsed < 0.05


def test_a_signature_over_reserialised_json_is_refused(client):
    body = json.dumps(fixture("inbound_text"), indent=4).encode()
    compact = json.dumps(fixture("inbound_text"), separators=(",", ":")).encode()
    response = client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(compact)},
    )
    assert response.status_code == 403


def test_no_webhook_is_accepted_without_an_app_secret(client, settings):
    settings.WHATSAPP_APP_SECRET = ""
    body = b"{}"
    response = client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(body, "")},
    )
    assert response.status_code == 403


def test_a_body_over_3_mb_is_413(client):
    body = b'{"pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(body)},
    )
    assert response.status_code == 413
    assert not WebhookDelivery.objects.exists()


def test_a_body_just_under_3_mb_is_accepted(client):
    body = b'{"pad": "' + b"x" * (MAX_BODY_BYTES - 20) + b'"}'
    response = client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(body)},
    )
    assert response.status_code == 200


def test_a_signed_body_that_is_not_json_is_400(client):
    body = b"<xml>not json</xml>"
    response = client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="text/xml",
        headers={"X-Hub-Signature-256": sign(body)},
    )
    assert response.status_code == 400
    # Signed, so Meta's: kept for a person to look at, never queued for the parser.
    kept = WebhookDelivery.objects.get()
    assert kept.state == WebhookDelivery.State.FLAGGED and kept.body.encode() == body


def test_valid_json_the_parser_does_not_understand_is_still_stored(client):
    response = post_webhook(client, {"something": ["new"]})
    assert response.status_code == 200
    assert WebhookDelivery.objects.count() == 1


def test_other_methods_are_refused(client):
    assert client.put(WEBHOOK_PATH).status_code == 405
