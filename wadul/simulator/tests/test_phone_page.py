"""The phone page: a chat app for simulated users, over real HTTP."""

from __future__ import annotations

import re

import pytest

from wadul import testing
from wadul.simulator.tests.conftest import CITIZEN, PNID

CHAT = {"me": CITIZEN, "biz": PNID}


def buttons_message(sim) -> str:
    interactive = {
        "type": "button",
        "body": {"text": "Apakah masalah sudah selesai?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "selesai", "title": "Sudah selesai"}},
                {"type": "reply", "reply": {"id": "belum", "title": "Belum"}},
            ]
        },
    }
    response = sim.send(to=CITIZEN, type="interactive", interactive=interactive)
    return response.json()["messages"][0]["id"]


def test_the_phone_page_speaks_indonesian(sim):
    page = sim.http.get("/phone", params=CHAT)
    assert page.status_code == 200
    assert "Siapa Anda?" in page.text
    assert "Ketik pesan" in page.text
    assert "Bagikan lokasi" in page.text
    assert 'name="latitude" value="-8.2192"' in page.text  # Banyuwangi


def test_the_root_redirects_to_the_phone(sim):
    response = sim.http.get("/")
    assert response.status_code == 302
    assert response.headers["location"] == "/phone"


def test_without_numbers_the_page_says_how_to_register_one(sim):
    sim.control("reset", {})
    assert "/_sim/numbers" in sim.http.get("/phone").text


def test_writing_from_the_phone_sends_a_signed_webhook(sim):
    response = sim.http.post(
        "/phone/send", data={**CHAT, "name": "Siti", "text": "Sampah menumpuk di pasar"}
    )
    assert response.status_code == 302
    [request] = sim.receiver.requests
    assert request.signature_ok()
    assert request.value["messages"][0]["text"] == {"body": "Sampah menumpuk di pasar"}
    assert request.value["contacts"][0]["profile"]["name"] == "Siti"
    assert "Sampah menumpuk di pasar" in sim.http.get("/phone/chat", params=CHAT).text


def test_an_empty_message_is_refused_with_a_reason(sim):
    response = sim.http.post(
        "/phone/send", data={**CHAT, "text": "  "}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Tulis pesan dulu."
    assert sim.receiver.requests == []


def test_a_quoted_reply_carries_the_context(sim):
    sim.inbound()
    wamid = sim.text("Mohon kirim alamat lengkap").json()["messages"][0]["id"]
    sim.http.post("/phone/send", data={**CHAT, "text": "Jl. Merdeka 5", "context_id": wamid})
    assert sim.receiver.last_message()["context"]["id"] == wamid


def test_tapping_a_button_sends_a_button_reply(sim):
    sim.inbound()
    wamid = buttons_message(sim)
    page = sim.http.get("/phone/chat", params=CHAT).text
    assert "Sudah selesai" in page

    sim.http.post(
        "/phone/send",
        data={
            **CHAT,
            "action": "reply",
            "reply_id": "selesai",
            "reply_title": "Sudah selesai",
            "reply_kind": "button_reply",
            "context_id": wamid,
        },
    )

    message = sim.receiver.last_message()
    assert message["type"] == "interactive"
    assert message["interactive"]["button_reply"] == {"id": "selesai", "title": "Sudah selesai"}
    assert message["context"]["id"] == wamid


def test_a_photo_and_a_location_from_the_phone(sim):
    sim.http.post(
        "/phone/send",
        data={**CHAT, "text": "Ini fotonya"},
        files={"photo": ("jalan.jpg", b"\xff\xd8\xff jpeg", "image/jpeg")},
    )
    sim.http.post(
        "/phone/send",
        data={**CHAT, "action": "location", "latitude": "-8,2192", "longitude": "114.3691"},
    )
    photo, pin = (r.value["messages"][0] for r in sim.receiver.requests)
    assert photo["image"]["caption"] == "Ini fotonya"
    assert photo["image"]["mime_type"] == "image/jpeg"
    assert pin["location"] == {"latitude": -8.2192, "longitude": 114.3691}
    chat = sim.http.get("/phone/chat", params=CHAT).text
    assert f"/phone/media/{photo['image']['id']}" in chat
    assert sim.http.get(f"/phone/media/{photo['image']['id']}").content == b"\xff\xd8\xff jpeg"


def test_viewing_the_chat_marks_the_business_messages_read(sim):
    sim.inbound()
    wamid = sim.text("Petugas menuju lokasi").json()["messages"][0]["id"]
    sim.idle()

    sim.http.get("/phone/chat", params={**CHAT, "seen": "1"})
    sim.idle()

    assert [s["status"] for s in sim.receiver.statuses(wamid)] == ["sent", "delivered", "read"]
    # The read shows on the business's side (status webhooks); on the phone the message is
    # an incoming bubble, and WhatsApp puts no ticks on those (issue 17).
    chat = sim.http.get("/phone/chat", params=CHAT).text
    bubble = next(b for b in chat.split('<div class="bubble') if "Petugas menuju lokasi" in b)
    assert 'class="ticks' not in bubble


def test_polling_a_hidden_page_does_not_mark_read(sim):
    sim.inbound()
    wamid = sim.text().json()["messages"][0]["id"]
    sim.http.get("/phone/chat", params=CHAT)
    sim.idle()
    assert "read" not in [s["status"] for s in sim.receiver.statuses(wamid)]


def test_ticks_follow_the_status(sim):
    sim.control("users", {"wa_id": CITIZEN, "undeliverable": True})
    sim.template()
    sim.idle()
    assert "gagal 131026" in sim.http.get("/phone/chat", params=CHAT).text


def test_playing_a_voice_message_sends_played(sim):
    sim.inbound()
    voice = sim.send(to=CITIZEN, type="audio", audio={"link": "https://example.org/a.ogg"})
    wamid = voice.json()["messages"][0]["id"]
    sim.idle()
    sim.http.post("/phone/played", data={"wamid": wamid})
    sim.idle()
    assert [s["status"] for s in sim.receiver.statuses(wamid)][-2:] == ["read", "played"]


def test_a_registered_template_is_shown_filled_in_with_its_buttons(sim):
    sim.control(
        "templates",
        {
            "name": "wadul_rating",
            "body": "Laporan {{1}} sudah selesai. Bagaimana pelayanan kami?",
            "buttons": ["Puas", "Kurang puas"],
        },
    )
    template = {
        "name": "wadul_rating",
        "language": {"code": "id"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "WDL-7"}]},
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": "1",
                "parameters": [{"type": "payload", "payload": "RATE_BAD"}],
            },
        ],
    }
    wamid = sim.send(to=CITIZEN, type="template", template=template).json()["messages"][0]["id"]

    chat = sim.http.get("/phone/chat", params=CHAT).text

    assert "Laporan WDL-7 sudah selesai. Bagaimana pelayanan kami?" in chat
    assert "Templat: wadul_rating" in chat
    assert re.search(r'name="reply_id" value="RATE_BAD".*?Kurang puas', chat, re.S)
    sim.http.post(
        "/phone/send",
        data={
            **CHAT,
            "action": "reply",
            "reply_id": "RATE_BAD",
            "reply_title": "Kurang puas",
            "reply_kind": "button",
            "context_id": wamid,
        },
    )
    message = sim.receiver.last_message()
    assert message["button"] == {"payload": "RATE_BAD", "text": "Kurang puas"}


def test_the_business_app_mode_sends_echoes(sim):
    sim.control("numbers", {"phone_number_id": PNID, "coexistence": True})
    page = sim.http.get("/phone", params={**CHAT, "mode": "business"}).text
    assert "Aplikasi Bisnis" in page

    sim.http.post("/phone/send", data={**CHAT, "mode": "business", "text": "Siap, kami cek"})

    [request] = sim.receiver.requests
    assert request.field == "smb_message_echoes"
    assert request.value["message_echoes"][0]["text"] == {"body": "Siap, kami cek"}


def test_business_mode_is_only_for_coexistence_numbers(sim):
    page = sim.http.get("/phone", params={**CHAT, "mode": "business"}).text
    assert "Ponsel warga" not in page
    sim.http.post("/phone/send", data={**CHAT, "mode": "business", "text": "Halo"})
    assert sim.receiver.requests[0].field == "messages"  # sent as the citizen instead


def test_several_chats_are_listed_and_switchable(sim):
    sim.control("numbers", {"phone_number_id": "770", "display_phone_number": "+62 811-3500-701"})
    sim.inbound(text="ke PU")
    sim.inbound(phone_number_id="770", **{"from": "6285700000001"}, text="ke DLH")
    page = sim.http.get("/phone", params=CHAT).text
    assert f"/phone?me={CITIZEN}&amp;biz={PNID}" in page
    assert "/phone?me=6285700000001&amp;biz=770" in page


@pytest.mark.browser
def test_a_person_sends_a_text_and_taps_a_button_in_a_real_browser(sim, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    sim.inbound(text="Halo")
    buttons_message(sim)
    with sync_playwright() as p:
        browser = testing.launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.goto(f"{sim.base_url}/phone?me={CITIZEN}&biz={PNID}&name=Siti")
            page.fill("#text", "Lampu PJU di Jl. Kepiting mati")
            page.keyboard.press("Enter")
            expect(page.locator("#messages")).to_contain_text("Lampu PJU di Jl. Kepiting mati")
            page.get_by_role("button", name="Belum").click()
            expect(page.locator("#messages")).to_contain_text("↩ Belum")
            # Ticks sit on what the person sent, never on what they received.
            expect(page.locator(".bubble.mine .ticks").first).to_be_visible()
            expect(page.locator(".bubble:not(.mine) .ticks")).to_have_count(0)
        finally:
            browser.close()
    texts = [
        r.value["messages"][0].get("text", {}).get("body")
        for r in sim.receiver.requests
        if "messages" in r.value
    ]
    assert "Lampu PJU di Jl. Kepiting mati" in texts
    reply = sim.receiver.requests[-1]
    assert any(
        "messages" in r.value and r.value["messages"][0]["type"] == "interactive"
        for r in sim.receiver.requests
    )
    assert reply.signature_ok()
