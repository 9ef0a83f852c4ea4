"""The business account's Graph API: token metadata, numbers, subscription, templates and
their review webhooks (approved, rejected, paused)."""

from __future__ import annotations

from wadul.simulator.state import DEFAULT_WABA_ID
from wadul.simulator.tests.conftest import ACCESS_TOKEN, PNID

AUTH = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
TEMPLATE = {
    "name": "wadul_status",
    "language": "id",
    "category": "UTILITY",
    "components": [
        {
            "type": "BODY",
            "text": "Laporan {{1}}: {{2}}.",
            "example": {"body_text": [["K7PM-2XRQ", "sedang ditangani"]]},
        }
    ],
}


def graph(sim, method: str, path: str, **kwargs):
    return sim.http.request(method, f"/v25.0/{path}", headers=AUTH, **kwargs)


def template_webhooks(sim) -> list[dict]:
    return [r.value for r in sim.receiver.requests if r.field == "message_template_status_update"]


def test_debug_token_says_a_system_user_token_is_valid_and_never_expires(sim):
    data = graph(sim, "GET", "debug_token", params={"input_token": ACCESS_TOKEN}).json()["data"]
    assert data["is_valid"] is True and data["type"] == "SYSTEM_USER"
    assert data["expires_at"] == 0
    assert "whatsapp_business_messaging" in data["scopes"]
    other = graph(sim, "GET", "debug_token", params={"input_token": "stale"}).json()["data"]
    assert other["is_valid"] is False


def test_phone_numbers_lists_quality_and_messaging_limit(sim):
    sim.control("numbers", {"phone_number_id": PNID, "quality_rating": "YELLOW"})
    (number,) = graph(sim, "GET", f"{DEFAULT_WABA_ID}/phone_numbers").json()["data"]
    assert number["id"] == PNID
    assert number["quality_rating"] == "YELLOW"
    assert number["messaging_limit_tier"] == "TIER_1K"
    unknown = graph(sim, "GET", "999/phone_numbers")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == 100


def test_subscribing_the_app_is_remembered(sim):
    assert graph(sim, "GET", f"{DEFAULT_WABA_ID}/subscribed_apps").json()["data"] == []
    assert graph(sim, "POST", f"{DEFAULT_WABA_ID}/subscribed_apps").json() == {"success": True}
    (app,) = graph(sim, "GET", f"{DEFAULT_WABA_ID}/subscribed_apps").json()["data"]
    assert app["whatsapp_business_api_data"]["id"]


def test_a_submitted_template_is_pending_then_approved_by_webhook(sim):
    created = graph(sim, "POST", f"{DEFAULT_WABA_ID}/message_templates", json=TEMPLATE).json()
    assert created["status"] == "PENDING" and created["category"] == "UTILITY"
    (update,) = sim.receiver.wait_for(lambda: template_webhooks(sim))
    assert update["event"] == "APPROVED"
    assert update["message_template_name"] == "wadul_status"
    assert update["message_template_language"] == "id"
    assert str(update["message_template_id"]) == created["id"]
    (listed,) = graph(sim, "GET", f"{DEFAULT_WABA_ID}/message_templates").json()["data"]
    assert (listed["name"], listed["status"]) == ("wadul_status", "APPROVED")
    assert sim.template("wadul_status").status_code == 200


def test_a_rejected_template_cannot_be_sent(sim):
    sim.configure(template_review={"reject": {"wadul_status": "TAG_CONTENT_MISMATCH"}})
    graph(sim, "POST", f"{DEFAULT_WABA_ID}/message_templates", json=TEMPLATE)
    (update,) = sim.receiver.wait_for(lambda: template_webhooks(sim))
    assert (update["event"], update["reason"]) == ("REJECTED", "TAG_CONTENT_MISMATCH")
    assert sim.template("wadul_status").json()["error"]["code"] == 132001


def test_a_pending_template_cannot_be_sent_and_a_later_pause_is_reported(sim):
    sim.configure(template_review={"decision": "pending"})
    graph(sim, "POST", f"{DEFAULT_WABA_ID}/message_templates", json=TEMPLATE)
    assert sim.template("wadul_status").json()["error"]["code"] == 132001
    sim.control("template_status", {"name": "wadul_status", "status": "APPROVED"})
    assert sim.template("wadul_status").status_code == 200
    sim.control("template_status", {"name": "wadul_status", "status": "PAUSED"})
    events = sim.receiver.wait_for(
        lambda: len(template_webhooks(sim)) == 2 and template_webhooks(sim)
    )
    assert [e["event"] for e in events] == ["APPROVED", "PAUSED"]


def test_templates_without_examples_or_twice_are_refused(sim):
    bare = {**TEMPLATE, "components": [{"type": "BODY", "text": "Laporan {{1}}."}]}
    refused = graph(sim, "POST", f"{DEFAULT_WABA_ID}/message_templates", json=bare)
    assert refused.status_code == 400
    assert "example" in refused.json()["error"]["error_data"]["details"]
    graph(sim, "POST", f"{DEFAULT_WABA_ID}/message_templates", json=TEMPLATE)
    again = graph(sim, "POST", f"{DEFAULT_WABA_ID}/message_templates", json=TEMPLATE)
    assert again.status_code == 400
    no_token = sim.http.get(f"/v25.0/{DEFAULT_WABA_ID}/message_templates")
    assert no_token.json()["error"]["code"] == 190
