"""Restriction of processing (UU 27/2022): once restricted, a person's cases are only stored —
not published (even masked), not in open data, not handed out by the API — and placing and
lifting it are recorded in each of their cases."""

from __future__ import annotations

import json

from wadul import testing
from wadul.api.models import ApiToken
from wadul.cases import services as case_services
from wadul.cases.models import Via
from wadul.privacy import requests as data_requests
from wadul.privacy import services
from wadul.privacy.models import Restriction

FEED = "/data/jawaban.atom"


def _open_data_numbers(client) -> set[str]:
    body = b"".join(client.get("/data/kasus.json").streaming_content).decode()
    return {record["tracking_number"] for record in json.loads(body)["data"]}


def _api_numbers(client, key: str) -> set[str]:
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {key}")
    return {case["tracking_number"] for case in response.json()}


def test_a_restricted_persons_cases_leave_open_data_the_portal_and_the_api(
    client, dpo, citizen, case_a, unit_a, official_a
):
    other = testing.create_case(unit=unit_a, text="Lampu jalan mati di Kemiren")
    case_services.answer(case_a, text="Jawaban unit Bina Marga", actor=official_a, via=Via.INBOX)
    _token, key = ApiToken.issue(official_a, "dashboard")
    assert _open_data_numbers(client) == {case_a.tracking_number, other.tracking_number}

    testing.login(client, dpo)
    client.post(f"/inbox/privasi/warga/{citizen.pk}/", {"action": "restrict", "reason": "surat"})
    client.logout()

    assert Restriction.objects.get(contact=citizen).placed_by == dpo
    assert case_a.events.get(kind=services.RESTRICTED).actor == dpo
    assert _open_data_numbers(client) == {other.tracking_number}
    assert "Jawaban unit Bina Marga" not in client.get(FEED).content.decode()
    open311 = client.get("/open311/v2/requests.json").content.decode()
    assert other.tracking_number in open311 and case_a.tracking_number not in open311
    assert client.get(f"/kasus/{case_a.tracking_number}/").status_code == 404
    assert _api_numbers(client, key) == {other.tracking_number}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/v1/cases/{case_a.tracking_number}", **auth).status_code == 404
    messages = f"/api/v1/cases/{case_a.tracking_number}/messages"
    assert client.get(messages, **auth).status_code == 404
    answer = {"kind": "answer", "text": "Jawaban lewat sistem lain"}
    posted = client.post(messages, answer, content_type="application/json", **auth)
    assert posted.status_code == 404
    assert not case_a.messages.filter(text=answer["text"]).exists()

    testing.login(client, dpo)
    lift = {"action": "lift_restriction", "reason": "warga mencabut"}
    client.post(f"/inbox/privasi/warga/{citizen.pk}/", lift)
    client.logout()
    restriction = Restriction.objects.get(contact=citizen)
    assert restriction.lifted_by == dpo and restriction.lifted_at is not None
    assert case_a.events.filter(kind=services.RESTRICTION_LIFTED).count() == 1
    assert _open_data_numbers(client) == {case_a.tracking_number, other.tracking_number}
    assert "Jawaban unit Bina Marga" in client.get(FEED).content.decode()
    assert client.get(f"/api/v1/cases/{case_a.tracking_number}", **auth).status_code == 200


def test_a_restriction_request_is_answered_by_restricting(client, dpo, citizen, case_a, regency):
    testing.create_unit("Pejabat PDP", parent=regency, code="PDP")
    request = data_requests.register_request(citizen, data_requests.RESTRICTION, actor=dpo)
    testing.login(client, dpo)
    client.post(f"/inbox/privasi/kasus/{request.tracking_number}/", {"action": "restrict"})
    request.refresh_from_db()
    assert services.is_restricted(citizen.pk)
    assert request.status == "resolved"
    assert request.messages.filter(text__startswith="Pemrosesan data pribadi Anda").exists()
    # Restricting again keeps the first restriction (and records nothing new).
    services.restrict_contact(citizen, reason="lagi", actor=dpo, via=Via.INBOX)
    assert Restriction.objects.filter(contact=citizen).count() == 1
    assert case_a.events.filter(kind=services.RESTRICTED).count() == 1
