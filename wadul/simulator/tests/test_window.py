"""The 24-hour customer service window: error 131047 for free-form messages outside it."""

from __future__ import annotations

import time

from wadul.simulator.tests.conftest import CITIZEN, PNID
from wadul.simulator.tests.test_send_api import assert_error

HOURS = 3600


def failed_code(sim, response) -> int | None:
    wamid = response.json()["messages"][0]["id"]
    sim.idle()
    statuses = sim.receiver.statuses(wamid)
    failed = [s for s in statuses if s["status"] == "failed"]
    return failed[0]["errors"][0]["code"] if failed else None


def test_free_text_25_hours_after_the_users_message_fails_with_131047(sim):
    sim.inbound(timestamp=int(time.time()) - 25 * HOURS)

    response = sim.text("Apakah masih ada masalah?")

    assert response.status_code == 200  # accepted, as Meta most commonly does
    assert failed_code(sim, response) == 131047
    wamid = response.json()["messages"][0]["id"]
    assert [s["status"] for s in sim.receiver.statuses(wamid)] == ["failed"]
    assert sim.control("stats")["numbers"][PNID]["failed_async"] == {"131047": 1}


def test_a_template_outside_the_window_is_delivered(sim):
    sim.inbound(timestamp=int(time.time()) - 25 * HOURS)

    response = sim.template()

    assert failed_code(sim, response) is None
    wamid = response.json()["messages"][0]["id"]
    statuses = sim.receiver.statuses(wamid)
    assert [s["status"] for s in statuses] == ["sent", "delivered"]
    assert statuses[0]["pricing"] == {
        "billable": True,
        "pricing_model": "PMP",
        "type": "regular",
        "category": "utility",
    }


def test_a_user_who_never_wrote_has_no_window(sim):
    assert failed_code(sim, sim.text()) == 131047


def test_free_text_23_hours_after_is_delivered_and_free(sim):
    sim.inbound(timestamp=int(time.time()) - 23 * HOURS)
    response = sim.text()
    assert failed_code(sim, response) is None
    sent = sim.receiver.statuses(response.json()["messages"][0]["id"])[0]
    assert sent["pricing"]["type"] == "free_customer_service"
    assert sent["pricing"]["category"] == "service"


def test_a_fresh_user_message_reopens_the_window(sim):
    sim.inbound(timestamp=int(time.time()) - 25 * HOURS)
    assert failed_code(sim, sim.text()) == 131047

    sim.inbound(text="Masih rusak, Pak")

    assert failed_code(sim, sim.text()) is None


def test_an_echo_does_not_open_the_window(sim):
    sim.control("numbers", {"phone_number_id": PNID, "coexistence": True})
    sim.inbound(timestamp=int(time.time()) - 25 * HOURS)

    sim.control("echo", {"phone_number_id": PNID, "to": CITIZEN, "text": "Baik, kami cek"})

    assert failed_code(sim, sim.text()) == 131047


def test_the_window_is_per_business_number(sim):
    sim.control("numbers", {"phone_number_id": "330", "display_phone_number": "+62 811-3500-301"})
    sim.inbound(phone_number_id="330")
    assert failed_code(sim, sim.text()) == 131047
    assert failed_code(sim, sim.text(pnid="330")) is None


def test_sync_mode_answers_131047_at_once(sim):
    sim.configure(window_error_mode="sync")
    sim.inbound(timestamp=int(time.time()) - 25 * HOURS)

    error = assert_error(sim.text(), 131047)

    assert "24 hours" in error["error_data"]["details"]
    assert sim.control("outbox")["messages"] == []
    assert sim.control("stats")["numbers"][PNID]["rejected"]["131047"] == 1
