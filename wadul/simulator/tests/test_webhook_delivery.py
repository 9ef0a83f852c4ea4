"""Webhook delivery: signed over the raw bytes, retried with backoff, counted."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from wadul.simulator.tests.conftest import APP_SECRET, PNID


def test_the_signature_is_an_hmac_sha256_of_the_raw_body(sim):
    sim.inbound(type="reaction", reaction={"message_id": "wamid.X", "emoji": "👍"})

    [request] = sim.receiver.requests
    expected = hmac.new(APP_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-hub-signature-256"] == f"sha256={expected}"
    assert len(request.headers["x-hub-signature-256"]) == 71
    assert request.headers["content-type"] == "application/json"
    # Meta escapes non-ASCII: re-serialising the parsed JSON gives other bytes, other hash.
    assert b"\\ud83d\\udc4d" in request.body
    reserialised = json.dumps(request.json, ensure_ascii=False).encode()
    assert hmac.new(APP_SECRET.encode(), reserialised, hashlib.sha256).hexdigest() != expected


def test_a_raw_payload_is_posted_as_is_and_signed(sim):
    raw = '{"object":"whatsapp_business_account","entry":[]}'
    result = sim.inbound(raw=raw)
    [request] = sim.receiver.requests
    assert request.body == raw.encode()
    assert request.signature_ok()
    assert result["webhook_status"] == 200


def test_the_inbound_call_returns_the_apps_answer(sim):
    sim.receiver.answers = [403]
    result = sim.inbound()
    assert result["webhook_status"] == 403


def test_a_500_from_the_app_is_retried_until_it_answers_200(sim):
    sim.inbound()
    sim.receiver.clear()
    sim.receiver.answers = [500, 500]

    response = sim.template()

    wamid = response.json()["messages"][0]["id"]
    sim.idle()
    answered = [(r.value["statuses"][0]["status"], r.answered) for r in sim.receiver.requests]
    assert answered == [("sent", 500), ("sent", 500), ("sent", 200), ("delivered", 200)]
    # The same bytes each time, so the app can deduplicate.
    assert len({r.body for r in sim.receiver.requests[:3]}) == 1
    assert [s["status"] for s in sim.receiver.statuses(wamid)][-1] == "delivered"
    webhooks = sim.control("stats")["numbers"][PNID]["webhooks"]
    assert webhooks == {"ok": 1 + 2, "failed": 2, "dropped": 0}


def test_retries_back_off(sim):
    sim.receiver.answers = [500, 500, 500]
    sim.inbound()
    sim.idle()
    times = [r.at for r in sim.receiver.requests]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == 4
    assert gaps[0] >= 0.015 and gaps[1] >= 0.035 and gaps[2] >= 0.075  # 20, 40, 80 ms


def test_an_inbound_webhook_refused_by_the_app_is_retried_in_the_background(sim):
    sim.receiver.answers = [500]
    result = sim.inbound()
    assert result["webhook_status"] == 500
    sim.idle()
    assert [r.answered for r in sim.receiver.requests] == [500, 200]


def test_after_the_last_attempt_the_webhook_is_dropped_and_counted(sim):
    sim.receiver.answers = [500] * 10
    sim.inbound()
    sim.idle()
    assert len(sim.receiver.requests) == 4  # attempts: 4 in these tests
    assert sim.control("stats")["numbers"][PNID]["webhooks"] == {
        "ok": 0,
        "failed": 4,
        "dropped": 1,
    }


def test_an_unreachable_app_counts_as_failed(sim):
    sim.configure(webhook_url="http://127.0.0.1:9/nothing-listens-here")
    result = sim.inbound()
    assert result["webhook_status"] is None
    sim.idle()
    assert sim.control("stats")["numbers"][PNID]["webhooks"]["dropped"] == 1


def test_several_webhook_urls_take_turns_and_sends_carry_their_acceptance_time(sim):
    base = sim.receiver.url.rsplit("/webhooks/", 1)[0]
    sim.configure(webhook_urls=[f"{base}/host-a/", f"{base}/host-b/"])
    for _ in range(4):
        assert sim.inbound()["webhook_status"] == 200
    assert [r.path for r in sim.receiver.requests] == ["/host-a/", "/host-b/"] * 2
    before = time.time()
    sim.text("Halo")
    (sent,) = sim.control("outbox")["messages"]
    assert before <= sent["accepted_at"] <= time.time()
