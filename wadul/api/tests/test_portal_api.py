"""REST API v1: case details, messages, units, docs; scoping by the token's official."""

from __future__ import annotations

from wadul import testing
from wadul.api.models import ApiToken
from wadul.cases import services
from wadul.cases.models import Via


def auth(official) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(official, 'test')[1]}"}


def test_case_detail_shows_the_reporter_to_the_unit(client, official_a, case_a):
    body = client.get(f"/api/v1/cases/{case_a.tracking_number}", **auth(official_a)).json()
    assert body["reporter"] == "Siti Rahayu" and body["description"].startswith("Jalan")


def test_a_confidential_reporter_is_hidden_from_the_unit_but_not_the_operator(
    client, official_a, operator, unit_a, citizen
):
    case = testing.create_case(unit=unit_a, contact=citizen, visibility="confidential")
    url = f"/api/v1/cases/{case.tracking_number}"
    assert client.get(url, **auth(official_a)).json()["reporter"] == "Pelapor rahasia"
    assert client.get(url, **auth(operator)).json()["reporter"] == "Siti Rahayu"
    messages = client.get(url + "/messages", **auth(official_a)).json()
    assert messages[0]["author"] == "Pelapor rahasia"


def test_messages_include_notes_for_staff_of_the_unit(client, official_a, case_a):
    services.answer(case_a, text="Sudah dicek", actor=official_a, via=Via.INBOX)
    services.add_note(case_a, text="catatan internal", actor=official_a, via=Via.INBOX)
    body = client.get(f"/api/v1/cases/{case_a.tracking_number}/messages", **auth(official_a)).json()
    assert [m["direction"] for m in body] == ["inbound", "outbound", "note"]


def test_another_units_messages_are_404(client, official_b, case_a):
    url = f"/api/v1/cases/{case_a.tracking_number}/messages"
    assert client.get(url, **auth(official_b)).status_code == 404
    response = client.post(url, {"text": "x"}, content_type="application/json", **auth(official_b))
    assert response.status_code == 404


def test_staff_answer_through_the_api(client, official_a, case_a):
    url = f"/api/v1/cases/{case_a.tracking_number}/messages"
    response = client.post(
        url,
        {"text": "Tim meluncur", "kind": "answer"},
        content_type="application/json",
        **auth(official_a),
    )
    assert response.status_code == 201 and response.json()["direction"] == "outbound"
    case_a.refresh_from_db()
    assert case_a.status == "answered" and case_a.events.filter(via="api").exists()


def test_a_supervisor_may_read_but_not_answer(client, supervisor, case_a):
    url = f"/api/v1/cases/{case_a.tracking_number}/messages"
    assert client.get(url, **auth(supervisor)).status_code == 200
    response = client.post(
        url, {"text": "halo"}, content_type="application/json", **auth(supervisor)
    )
    assert response.status_code == 403


def test_case_list_filters(client, official_a, case_a, subunit_a):
    other = testing.create_case(unit=subunit_a, type="suggestion")
    headers = auth(official_a)
    listed = client.get("/api/v1/cases", {"type": "suggestion"}, **headers).json()
    assert [c["tracking_number"] for c in listed] == [other.tracking_number]
    listed = client.get("/api/v1/cases", {"unit": "DPU"}, **headers).json()
    assert [c["tracking_number"] for c in listed] == [case_a.tracking_number]


def test_units_list(client, official_a, unit_a, subunit_a, pln):
    body = client.get("/api/v1/units", **auth(official_a)).json()
    codes = [u["code"] for u in body]
    assert "DPU" in codes and "DPU-BM" in codes and "PLN" not in codes
    assert next(u for u in body if u["code"] == "DPU-BM")["parent"] == "DPU"
    with_external = client.get("/api/v1/units", {"include_external": True}, **auth(official_a))
    assert "PLN" in [u["code"] for u in with_external.json()]


def test_endpoints_need_a_token(client, db):
    for url in ("/api/v1/units", "/api/v1/statistics", "/api/v1/cases/AAAA-BBBB/messages"):
        assert client.get(url).status_code == 401


def test_openapi_docs_are_served_at_api_docs_without_a_cdn(client, db):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert b"/api/v1/openapi.json" in page.content and b"cdn.jsdelivr" not in page.content
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{tracking_number}/messages" in schema["paths"]
    assert "/api/v1/statistics" in schema["paths"]
