"""2026 business-scoped user ids (BSUID): the three identity shapes of a user."""

from __future__ import annotations

from wadul.simulator.payloads import bsuid
from wadul.simulator.tests.conftest import CITIZEN

USER_ID = bsuid(CITIZEN)


def only_request(sim):
    [request] = sim.receiver.requests
    return request.value


def test_phone_identity_is_the_classic_shape(sim):
    sim.inbound(identity="phone")
    value = only_request(sim)
    assert value["contacts"] == [{"profile": {"name": "Siti Rahayu"}, "wa_id": CITIZEN}]
    message = value["messages"][0]
    assert message["from"] == CITIZEN
    assert "from_user_id" not in message


def test_phone_and_user_id_adds_the_bsuid_and_username(sim):
    sim.inbound(identity="phone+user_id")
    value = only_request(sim)
    assert value["contacts"] == [
        {
            "profile": {"name": "Siti Rahayu", "username": "siti.rahayu"},
            "wa_id": CITIZEN,
            "user_id": USER_ID,
        }
    ]
    message = value["messages"][0]
    assert (message["from"], message["from_user_id"]) == (CITIZEN, USER_ID)
    assert USER_ID.startswith("ID.")


def test_user_id_only_omits_the_phone_number(sim):
    sim.inbound(identity="user_id_only", username="sitir")
    value = only_request(sim)
    assert value["contacts"] == [
        {"profile": {"name": "Siti Rahayu", "username": "sitir"}, "user_id": USER_ID}
    ]
    message = value["messages"][0]
    assert "from" not in message
    assert message["from_user_id"] == USER_ID


def test_a_user_id_only_user_is_answered_by_recipient_and_statuses_carry_the_bsuid(sim):
    sim.inbound(identity="user_id_only")
    sim.receiver.clear()

    response = sim.send(recipient=USER_ID, type="text", text={"body": "Laporan diterima"})

    assert response.status_code == 200
    assert response.json()["contacts"] == [{"input": USER_ID, "user_id": USER_ID}]
    sim.idle()
    sent = sim.receiver.requests[0].value
    assert sent["contacts"] == [{"user_id": USER_ID}]
    status = sent["statuses"][0]
    assert status["recipient_user_id"] == USER_ID
    assert "recipient_id" not in status


def test_the_bsuid_is_stable_per_user():
    assert bsuid(CITIZEN) == bsuid(CITIZEN) != bsuid("6281111111111")


def test_an_unknown_bsuid_recipient_is_error_100(sim):
    response = sim.send(recipient="ID.0000000000000000001", type="text", text={"body": "x"})
    assert response.json()["error"]["code"] == 100
