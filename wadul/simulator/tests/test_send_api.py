"""POST /{version}/{phone_number_id}/messages: Meta's success body and its validation errors."""

from __future__ import annotations

import re

import pytest

from wadul.simulator.tests.conftest import CITIZEN, PNID

WAMID = re.compile(r"^wamid\.[A-Za-z0-9+/=]+$")


@pytest.fixture
def open_window(sim):
    sim.inbound()


def assert_error(response, code: int, http_status: int = 400) -> dict:
    assert response.status_code == http_status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["type"] == "OAuthException"
    assert error["message"].startswith(f"(#{code}) ")
    assert error["error_data"]["messaging_product"] == "whatsapp"
    assert error["error_data"]["details"]
    assert error["fbtrace_id"]
    return error


def test_a_text_send_answers_like_meta(sim, open_window):
    response = sim.text("Laporan Anda kami terima", to="+" + CITIZEN)

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["messaging_product", "contacts", "messages"]
    assert body["messaging_product"] == "whatsapp"
    assert body["contacts"] == [{"input": "+" + CITIZEN, "wa_id": CITIZEN}]
    assert WAMID.match(body["messages"][0]["id"])


def test_type_defaults_to_text_as_at_meta(sim, open_window):
    assert sim.send(to=CITIZEN, text={"body": "Halo"}).status_code == 200


def test_a_missing_token_is_error_190_with_http_401(sim):
    assert_error(sim.text(token=None), 190, 401)


def test_a_wrong_token_is_error_190_with_http_401(sim):
    assert_error(sim.text(token="not-the-token"), 190, 401)


def test_an_unknown_phone_number_id_is_error_100(sim):
    error = assert_error(sim.text(pnid="999999999999999"), 100)
    assert "999999999999999" in error["error_data"]["details"]


@pytest.mark.parametrize(
    "body, details",
    [
        ({"to": CITIZEN, "type": "carrier_pigeon", "carrier_pigeon": {}}, "Param type"),
        ({"to": CITIZEN, "type": "text"}, "text is required"),
        ({"to": CITIZEN, "type": "text", "text": {"body": ""}}, "text['body']"),
        ({"to": CITIZEN, "type": "text", "text": {"body": "x" * 4097}}, "4096"),
        ({"type": "text", "text": {"body": "Halo"}}, "to is required"),
        ({"to": CITIZEN, "type": "template", "template": {"name": "x"}}, "language"),
        ({"to": CITIZEN, "type": "image", "image": {"id": "123"}}, "not a valid media id"),
        ({"to": CITIZEN, "type": "image", "image": {"caption": "foto"}}, "id or link"),
    ],
)
def test_invalid_sends_are_error_100(sim, open_window, body, details):
    error = assert_error(sim.send(body), 100)
    assert details in error["error_data"]["details"]


def test_messaging_product_is_required(sim):
    response = sim.http.post(
        f"/v21.0/{PNID}/messages",
        json={"to": CITIZEN, "type": "text", "text": {"body": "Halo"}},
        headers={"Authorization": "Bearer test-access-token"},
    )
    assert_error(response, 100)


def test_a_body_that_is_not_json_is_error_100(sim):
    response = sim.http.post(
        f"/v21.0/{PNID}/messages",
        content=b"{not json",
        headers={"Authorization": "Bearer test-access-token"},
    )
    assert_error(response, 100)


def buttons(n: int, title: str = "Ya") -> dict:
    return {
        "type": "button",
        "body": {"text": "Apakah masalah Anda sudah selesai?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": f"b{i}", "title": title}} for i in range(n)
            ]
        },
    }


def test_interactive_buttons_are_accepted_up_to_three(sim, open_window):
    assert sim.send(to=CITIZEN, type="interactive", interactive=buttons(3)).status_code == 200
    assert_error(sim.send(to=CITIZEN, type="interactive", interactive=buttons(4)), 100)
    too_long = buttons(1, title="Judul tombol yang terlalu panjang")
    assert_error(sim.send(to=CITIZEN, type="interactive", interactive=too_long), 100)


def test_interactive_lists_are_validated(sim, open_window):
    listing = {
        "type": "list",
        "body": {"text": "Pilih kategori"},
        "action": {
            "button": "Kategori",
            "sections": [{"title": "Umum", "rows": [{"id": "jalan", "title": "Jalan rusak"}]}],
        },
    }
    assert sim.send(to=CITIZEN, type="interactive", interactive=listing).status_code == 200
    listing["action"]["sections"][0]["rows"] = [{"id": f"r{i}", "title": "x"} for i in range(11)]
    assert_error(sim.send(to=CITIZEN, type="interactive", interactive=listing), 100)


def test_media_by_link_and_context_are_recorded(sim, open_window):
    quoted = sim.inbound(text="Ini fotonya")["wamid"]
    response = sim.send(
        to=CITIZEN,
        type="image",
        image={"link": "https://example.org/peta.png", "caption": "Lokasi"},
        context={"message_id": quoted},
    )
    assert response.status_code == 200
    [sent] = sim.control("outbox")["messages"]
    assert sent["type"] == "image"
    assert sent["context_id"] == quoted
    assert sent["text"] == "Lokasi"


def test_mark_as_read_answers_success_and_is_recorded(sim):
    first = sim.inbound(text="satu")["wamid"]
    second = sim.inbound(text="dua")["wamid"]

    response = sim.send(status="read", message_id=second, typing_indicator={"type": "text"})

    assert response.status_code == 200
    assert response.json() == {"success": True}
    [receipt] = sim.control("reads")["reads"]
    assert receipt["message_id"] == second
    assert receipt["typing_indicator"] == {"type": "text"}
    chat = sim.control("conversations", phone_number_id=PNID, user=CITIZEN)["messages"]
    # Meta marks the earlier messages of the chat read too.
    assert [m["read_by_business"] for m in chat if m["wamid"] in (first, second)] == [True, True]
    assert sim.control("outbox")["messages"] == []


def test_mark_as_read_of_an_unknown_message_is_error_131009(sim):
    assert_error(sim.send(status="read", message_id="wamid.unknown"), 131009)


def test_an_accepted_send_records_the_request_in_the_outbox(sim, open_window):
    sim.text("satu", biz_opaque_callback_data="outbox-1")
    sim.template("wadul_case_update")

    outbox = sim.control("outbox", phone_number_id=PNID)["messages"]

    assert [m["text"] for m in outbox] == ["satu", "[wadul_case_update] WDL-1"]
    assert outbox[0]["biz_opaque_callback_data"] == "outbox-1"
    assert outbox[1]["template_name"] == "wadul_case_update"
    assert outbox[0]["request"]["text"] == {"body": "satu"}


def test_rejected_sends_are_listed_on_request(sim):
    sim.text(token="wrong")
    sim.send(to=CITIZEN, type="nonsense")
    result = sim.control("outbox", include_rejected=1)
    assert result["messages"] == []
    assert [r["code"] for r in result["rejected"]] == [100]
