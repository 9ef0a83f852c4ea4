"""Configured failures: restricted (368), spam-limited (131048), injected (131000 / HTTP 500),
undeliverable users (131026 as a failed status webhook)."""

from __future__ import annotations

from wadul.simulator.tests.conftest import CITIZEN, PNID
from wadul.simulator.tests.test_send_api import assert_error


def test_a_restricted_number_gets_368(sim):
    sim.control("numbers", {"phone_number_id": PNID, "restricted": True})
    assert_error(sim.template(), 368, 403)
    assert sim.control("stats")["numbers"][PNID]["rejected"]["368"] == 1


def test_a_spam_limited_number_gets_131048(sim):
    sim.control("numbers", {"phone_number_id": PNID, "spam_limited": True})
    error = assert_error(sim.template(), 131048)
    assert "spam" in error["error_data"]["details"]


def test_fail_next_fails_exactly_n_sends_with_the_code_given(sim):
    sim.configure(fail_next={"count": 2, "code": 131000, "http_status": 500})

    first, second, third = sim.template(), sim.template(), sim.template()

    assert_error(first, 131000, 500)
    assert_error(second, 131000, 500)
    assert third.status_code == 200
    assert sim.control("config")["fail_next"] is None
    assert sim.control("stats")["numbers"][PNID]["rejected"]["131000"] == 2


def test_fail_next_defaults_to_131000_and_metas_http_status(sim):
    sim.configure(fail_next={"count": 1})
    assert_error(sim.template(), 131000, 500)
    sim.configure(fail_next={"count": 1, "code": 130429})
    assert_error(sim.template(), 130429, 400)


def test_an_undeliverable_user_gets_a_failed_status_with_131026(sim):
    sim.control("users", {"wa_id": CITIZEN, "undeliverable": True})

    response = sim.template(biz_opaque_callback_data="outbox-7")

    assert response.status_code == 200  # accepted; the failure comes by webhook
    wamid = response.json()["messages"][0]["id"]
    [status] = sim.receiver.wait_for(lambda: sim.receiver.statuses(wamid))
    assert status["status"] == "failed"
    assert status["errors"][0]["code"] == 131026
    assert status["errors"][0]["title"]
    assert status["errors"][0]["error_data"]["details"]
    assert status["biz_opaque_callback_data"] == "outbox-7"
    sim.idle()
    assert [s["status"] for s in sim.receiver.statuses(wamid)] == ["failed"]
    [sent] = sim.control("outbox")["messages"]
    assert (sent["status"], sent["error_code"]) == ("failed", 131026)
