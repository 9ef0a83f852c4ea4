"""The /_sim/ control API: numbers, inbound message shapes, echoes, conversations, reset."""

from __future__ import annotations

import time

from wadul.simulator.tests.conftest import CITIZEN, PNID


def last_message(sim) -> dict:
    return sim.receiver.last_message()


def test_numbers_are_registered_and_listed(sim):
    sim.control(
        "numbers",
        {
            "phone_number_id": "440",
            "display_phone_number": "+62 811-3500-401",
            "coexistence": True,
        },
    )
    numbers = {n["phone_number_id"]: n for n in sim.control("numbers")["numbers"]}
    assert numbers["440"]["coexistence"] is True
    assert numbers["440"]["effective_throughput"] == 20
    assert numbers[PNID]["effective_throughput"] == 80


def test_inbound_to_an_unknown_number_is_refused(sim):
    response = sim.http.post("/_sim/inbound", json={"phone_number_id": "1", "from": CITIZEN})
    assert response.status_code == 400
    assert "register" in response.json()["error"]


def test_inbound_text_is_metas_shape(sim):
    result = sim.inbound(text="Lampu jalan mati", timestamp=1750000000)

    assert result["webhook_status"] == 200
    [request] = sim.receiver.requests
    assert request.json["object"] == "whatsapp_business_account"
    assert request.field == "messages"
    assert request.value["messaging_product"] == "whatsapp"
    assert request.value["metadata"]["phone_number_id"] == PNID
    message = request.value["messages"][0]
    assert message == {
        "from": CITIZEN,
        "id": result["wamid"],
        "timestamp": "1750000000",
        "type": "text",
        "text": {"body": "Lampu jalan mati"},
    }


def test_local_notation_is_normalised_to_the_country_code(sim):
    sim.inbound(**{"from": "0812-3456-7890"})
    assert last_message(sim)["from"] == CITIZEN


def test_a_quoted_and_forwarded_reply_has_a_context(sim):
    sent = sim.template().json()["messages"][0]["id"]
    sim.inbound(text="Ini jawabannya", context_id=sent, forwarded=True)
    assert last_message(sim)["context"] == {
        "from": "628113500112",
        "id": sent,
        "forwarded": True,
    }


def test_interactive_button_and_list_replies(sim):
    sim.inbound(type="interactive", reply={"id": "puas", "title": "Puas"}, context_id="wamid.A")
    assert last_message(sim)["interactive"] == {
        "type": "button_reply",
        "button_reply": {"id": "puas", "title": "Puas"},
    }
    assert last_message(sim)["context"]["id"] == "wamid.A"
    sim.inbound(
        type="interactive",
        interactive_type="list_reply",
        reply={"id": "jalan", "title": "Jalan", "description": "Jalan rusak"},
    )
    assert last_message(sim)["interactive"]["list_reply"]["description"] == "Jalan rusak"


def test_template_quick_reply_location_reaction_contacts_sticker(sim):
    sim.inbound(type="button", button={"payload": "RATE_5", "text": "Sangat puas"})
    assert last_message(sim)["button"] == {"payload": "RATE_5", "text": "Sangat puas"}

    sim.inbound(
        type="location",
        location={"latitude": -8.2192, "longitude": 114.3691, "name": "Taman Blambangan"},
    )
    assert last_message(sim)["location"] == {
        "latitude": -8.2192,
        "longitude": 114.3691,
        "name": "Taman Blambangan",
    }

    sim.inbound(type="reaction", reaction={"message_id": "wamid.B", "emoji": "🙏"})
    assert last_message(sim)["reaction"] == {"message_id": "wamid.B", "emoji": "🙏"}
    sim.inbound(type="reaction", reaction={"message_id": "wamid.B"})
    assert last_message(sim)["reaction"] == {"message_id": "wamid.B"}

    card = [
        {"name": {"formatted_name": "Pak RT"}, "phones": [{"phone": "+62 812", "type": "CELL"}]}
    ]
    sim.inbound(type="contacts", contacts=card)
    assert last_message(sim)["contacts"] == card

    sim.inbound(type="sticker")
    assert last_message(sim)["sticker"]["mime_type"] == "image/webp"


def test_an_echo_is_an_smb_message_echoes_webhook(sim):
    sim.control("numbers", {"phone_number_id": PNID, "coexistence": True})

    result = sim.control(
        "echo", {"phone_number_id": PNID, "to": CITIZEN, "text": "Sudah kami perbaiki"}
    )

    [request] = sim.receiver.requests
    assert request.signature_ok()
    assert request.field == "smb_message_echoes"
    [echo] = request.value["message_echoes"]
    assert echo["from"] == "628113500112"
    assert echo["to"] == CITIZEN
    assert echo["id"] == result["wamid"]
    assert echo["type"] == "text"
    assert echo["text"] == {"body": "Sudah kami perbaiki"}
    assert "messages" not in request.value


def test_echoes_need_a_coexistence_number(sim):
    response = sim.http.post(
        "/_sim/echo", json={"phone_number_id": PNID, "to": CITIZEN, "text": "x"}
    )
    assert response.status_code == 400


def test_the_conversation_holds_both_directions_in_order(sim):
    sim.control("numbers", {"phone_number_id": PNID, "coexistence": True})
    sim.inbound(text="Jalan rusak", timestamp=int(time.time()) - 60)
    sim.text("Terima kasih, laporan WDL-1 diterima")
    sim.control("echo", {"phone_number_id": PNID, "to": CITIZEN, "text": "Besok kami cek"})
    sim.template("wadul_resolved")
    sim.inbound(text="Lain orang", **{"from": "6281111111111"})
    sim.idle()

    chat = sim.control("conversations", phone_number_id=PNID, user=CITIZEN)["messages"]

    assert [(m["direction"], m["text"]) for m in chat] == [
        ("inbound", "Jalan rusak"),
        ("outbound", "Terima kasih, laporan WDL-1 diterima"),
        ("echo", "Besok kami cek"),
        ("outbound", "[wadul_resolved] WDL-1"),
    ]
    assert chat[1]["status"] == "delivered"
    assert chat[3]["template_name"] == "wadul_resolved"
    assert all(m["wamid"].startswith("wamid.") for m in chat)


def test_stats_report_accepted_rejected_and_webhooks(sim):
    sim.inbound()
    sim.text()
    sim.text(token="bad")
    sim.idle()
    stats = sim.control("stats")["numbers"][PNID]
    assert stats["accepted"] == 1
    assert stats["inbound"] == 1
    assert stats["rejected"]["190"] == 1
    assert stats["rejected"]["130429"] == 0
    assert stats["webhooks"] == {"ok": 3, "failed": 0, "dropped": 0}


def test_unknown_config_keys_are_refused(sim):
    response = sim.http.post("/_sim/config", json={"turbo": True})
    assert response.status_code == 400
    assert "turbo" in response.json()["error"]


def test_reset_forgets_everything_and_restores_the_defaults(sim):
    sim.configure(duplicate_webhooks=2)
    sim.inbound()
    sim.control("reset", {})
    assert sim.control("numbers")["numbers"] == []
    assert sim.control("conversations")["messages"] == []
    assert sim.control("config")["duplicate_webhooks"] == 1
    assert sim.control("config")["webhook_url"] == sim.receiver.url


def test_registered_templates_fill_in_and_unknown_names_are_132001(sim):
    sim.control(
        "templates",
        {"name": "wadul_update", "category": "UTILITY", "body": "Laporan {{1}} diperbarui."},
    )
    assert sim.template("wadul_update").status_code == 200
    response = sim.template("not_approved")
    assert response.json()["error"]["code"] == 132001
