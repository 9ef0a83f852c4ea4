from __future__ import annotations

from wadul import testing
from wadul.api.models import ApiToken


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_requires_a_token(client, case_a):
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get("/api/v1/cases", **auth("wdl_wrong")).status_code == 401


def test_the_token_sees_its_officials_cases_only(client, official_a, case_a, unit_b):
    other = testing.create_case(unit=unit_b)
    _token, key = ApiToken.issue(official_a, "dashboard")
    listed = [c["tracking_number"] for c in client.get("/api/v1/cases", **auth(key)).json()]
    assert listed == [case_a.tracking_number]
    detail = client.get(f"/api/v1/cases/{case_a.tracking_number}", **auth(key))
    assert detail.status_code == 200 and detail.json()["unit"] == "DPU"
    assert client.get(f"/api/v1/cases/{other.tracking_number}", **auth(key)).status_code == 404


def test_another_units_case_is_404_by_api(client, official_b, case_a):
    _token, key = ApiToken.issue(official_b, "other")
    response = client.get(f"/api/v1/cases/{case_a.tracking_number}", **auth(key))
    assert response.status_code == 404


def test_a_revoked_token_is_refused(client, official_a, case_a):
    token, key = ApiToken.issue(official_a, "old")
    token.revoked_at = token.created_at
    token.save()
    assert client.get("/api/v1/cases", **auth(key)).status_code == 401
