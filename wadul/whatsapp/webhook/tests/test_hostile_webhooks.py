"""Hostile but signed webhook bodies: nothing is lost, nothing answers 500, and no id from a
payload reaches a Graph URL unchecked."""

from __future__ import annotations

import copy
import json

import pytest

from wadul.whatsapp.models import InboundMessage, ProviderCall, WebhookDelivery
from wadul.whatsapp.outbound import graph
from wadul.whatsapp.testing import WEBHOOK_PATH, fixture
from wadul.whatsapp.webhook import processor
from wadul.whatsapp.webhook.views import sign

pytestmark = pytest.mark.django_db


def _post_raw(client, body: bytes):
    return client.post(
        WEBHOOK_PATH,
        data=body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(body)},
    )


def test_a_payload_the_json_column_refuses_is_flagged_not_processed(client, meta_number):
    payload = copy.deepcopy(fixture("inbound_text"))
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["extra"] = float("inf")
    body = json.dumps(payload).replace("Infinity", "1e999").encode()
    assert _post_raw(client, body).status_code == 200
    while processor.process_next():
        pass
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.FLAGGED
    assert delivery.body.encode() == body  # kept raw for replay
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "depth"),
        (b'{"n": ' + b"9" * 5000 + b"}", "a number Python refuses to read"),
        (b'{"x": "caf\xe9"}', "not UTF-8"),
        (b'{"x": "\x00"}', "a NUL byte"),
    ],
)
def test_a_signed_body_that_cannot_be_decoded_is_400_and_kept(client, body, what):
    response = _post_raw(client, body)
    assert response.status_code == 400, what
    kept = WebhookDelivery.objects.get()
    assert kept.state == WebhookDelivery.State.FLAGGED and "not decodable" in kept.notes


@pytest.mark.parametrize("media_id", ["../../x", "1/messages", "%2e%2e", "1?x=1", ""])
def test_a_media_id_that_would_change_the_url_is_never_sent(settings, media_id):
    settings.WHATSAPP_GRAPH_URL = "http://127.0.0.1:9"  # nothing may be called at all
    result = graph.media_info(media_id)
    assert result.outcome == graph.Outcome.REFUSED and result.status_code == 400
    assert not ProviderCall.objects.exists()
