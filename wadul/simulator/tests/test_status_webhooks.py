"""Status webhooks: sent → delivered → read, in Meta's shape, and the knobs that bend them."""

from __future__ import annotations

import threading
import time

import httpx

from wadul.simulator.tests.conftest import CITIZEN, PNID


def sent_wamid(response) -> str:
    assert response.status_code == 200, response.text
    return response.json()["messages"][0]["id"]


def test_every_accepted_message_gets_sent_then_delivered(sim):
    sim.inbound()
    wamid = sent_wamid(sim.text(biz_opaque_callback_data="outbox-42"))
    sim.idle()

    requests = [r for r in sim.receiver.requests if "statuses" in r.value]
    statuses = [r.value["statuses"][0] for r in requests]

    assert [s["status"] for s in statuses] == ["sent", "delivered"]
    assert all(r.signature_ok() for r in requests)
    sent, delivered = statuses
    assert int(sent["timestamp"]) < int(delivered["timestamp"])
    assert isinstance(sent["timestamp"], str)
    assert sent["id"] == wamid
    assert sent["recipient_id"] == CITIZEN
    assert sent["biz_opaque_callback_data"] == "outbox-42"
    assert delivered["biz_opaque_callback_data"] == "outbox-42"
    assert sent["pricing"]["pricing_model"] == "PMP"
    assert "conversation" not in sent
    value = requests[0].value
    assert value["metadata"] == {"display_phone_number": "628113500112", "phone_number_id": PNID}
    assert value["contacts"] == [{"wa_id": CITIZEN}]
    assert requests[0].json["object"] == "whatsapp_business_account"
    assert requests[0].field == "messages"


def test_read_follows_when_the_user_reads(sim):
    sim.inbound()
    wamid = sent_wamid(sim.text())
    sim.idle()

    sim.control("read", {"phone_number_id": PNID, "user": CITIZEN})
    sim.idle()

    statuses = sim.receiver.statuses(wamid)
    assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]
    assert "pricing" not in statuses[2]
    assert len({int(s["timestamp"]) for s in statuses}) == 3
    [message] = sim.control("outbox")["messages"]
    assert message["status"] == "read"
    # Reading again sends nothing new.
    sim.control("read", {"wamid": wamid})
    sim.idle()
    assert len(sim.receiver.statuses(wamid)) == 3


def test_auto_read_reads_after_the_delay_and_voice_is_played(sim):
    sim.configure(auto_read_after_ms=10)
    sim.inbound()
    text = sent_wamid(sim.text())
    voice = sent_wamid(sim.send(to=CITIZEN, type="audio", audio={"link": "https://x.org/a.ogg"}))
    sim.idle()

    assert [s["status"] for s in sim.receiver.statuses(text)] == ["sent", "delivered", "read"]
    assert [s["status"] for s in sim.receiver.statuses(voice)] == [
        "sent",
        "delivered",
        "read",
        "played",
    ]


def test_contacts_and_conversation_on_statuses_are_configurable(sim):
    sim.configure(status_contacts=False, status_conversation=True)
    sim.inbound()
    wamid = sent_wamid(sim.text())
    sim.idle()

    sent_request = sim.receiver.requests[1]
    assert "contacts" not in sent_request.value
    sent = sim.receiver.statuses(wamid)[0]
    assert sent["conversation"]["origin"] == {"type": "service"}
    assert int(sent["conversation"]["expiration_timestamp"]) > int(sent["timestamp"])


def test_statuses_before_response_posts_sent_before_the_api_answers(sim):
    sim.configure(statuses_before_response=True)
    sim.inbound()
    sim.receiver.clear()

    response = sim.text()
    answered_at = time.monotonic()

    wamid = sent_wamid(response)
    first = sim.receiver.requests[0]
    assert first.value["statuses"][0] == {**first.value["statuses"][0], "id": wamid}
    assert first.value["statuses"][0]["status"] == "sent"
    assert first.at < answered_at
    sim.idle()
    assert [s["status"] for s in sim.receiver.statuses(wamid)] == ["sent", "delivered"]


def test_without_the_knob_the_api_answers_without_waiting_for_the_app(sim):
    sim.inbound()
    sim.receiver.delay = 0.8  # a slow webhook endpoint

    response = httpx.post(
        f"{sim.base_url}/v21.0/{PNID}/messages",
        json={"messaging_product": "whatsapp", "to": CITIZEN, "text": {"body": "Halo"}},
        headers={"Authorization": "Bearer test-access-token"},
    )

    assert response.elapsed.total_seconds() < 0.6
    sim.state.deliverer.clear()  # no need to wait for the slow posts


def test_duplicate_webhooks_delivers_each_one_n_times(sim):
    sim.configure(duplicate_webhooks=3)
    inbound = sim.inbound()
    wamid = sent_wamid(sim.text())
    sim.idle()

    inbound_copies = [r for r in sim.receiver.requests if "messages" in r.value]
    assert len(inbound_copies) == 3
    assert {r.body for r in inbound_copies} == {inbound_copies[0].body}
    assert inbound_copies[0].value["messages"][0]["id"] == inbound["wamid"]
    assert [s["status"] for s in sim.receiver.statuses(wamid)] == ["sent"] * 3 + ["delivered"] * 3


def test_shuffle_statuses_delivers_out_of_order_with_true_timestamps(sim):
    sim.configure(shuffle_statuses=True, auto_read_after_ms=0)
    sim.inbound()
    wamid = sent_wamid(sim.text())
    sim.idle()

    statuses = sim.receiver.statuses(wamid)
    arrival = [s["status"] for s in statuses]
    assert sorted(arrival) == ["delivered", "read", "sent"]
    assert arrival != ["sent", "delivered", "read"]
    by_time = [s["status"] for s in sorted(statuses, key=lambda s: int(s["timestamp"]))]
    assert by_time == ["sent", "delivered", "read"]


def test_statuses_of_many_messages_all_arrive(sim):
    sim.inbound()
    sim.configure(pair_rate=None)
    wamids = []

    def send(n):
        for _ in range(n):
            wamids.append(sent_wamid(sim.text()))

    threads = [threading.Thread(target=send, args=(10,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sim.idle()

    for wamid in wamids:
        assert [s["status"] for s in sim.receiver.statuses(wamid)] == ["sent", "delivered"]
    assert sim.control("stats")["numbers"][PNID]["webhooks"]["ok"] == 1 + 80
