"""Information requests on the REST API (the token's official's units) and on Open311 (as
service `information_request`), like complaints but without the requester's personal data."""

from __future__ import annotations

import pytest

from wadul.api.models import ApiToken
from wadul.cases.models import Via
from wadul.ppid import services
from wadul.ppid.models import PpidRequest

from .test_intake import NIK, ask

PERSONAL = (NIK, "Siti Rahayu", "Ahmad Yani", "skripsi")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def forwarded(pigeon, citizen, kominfo, pelaksana, ppid_utama):
    request = PpidRequest.objects.get(case=ask(pigeon, citizen))
    return services.forward(request, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX)


def bearer(official) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(official, 'test')[1]}"}


def test_the_api_lists_the_units_requests_without_personal_data(
    client, forwarded, official_a, official_b
):
    response = client.get("/api/v1/information-requests", **bearer(official_a))
    assert response.status_code == 200
    [row] = response.json()
    assert row["registration_number"] == forwarded.registration_number
    assert row["tracking_number"] == forwarded.case.tracking_number
    assert (row["stage"], row["unit"], row["subject"]) == ("forwarded", "Dinas PU", "")
    assert row["notice_due_at"] is not None
    assert not any(word in response.content.decode() for word in PERSONAL)
    number = forwarded.registration_number.replace("/", "-")
    detail = client.get(f"/api/v1/information-requests/{number}", **bearer(official_a))
    assert detail.json()["registration_number"] == forwarded.registration_number
    # Another unit's official sees none of it.
    assert client.get("/api/v1/information-requests", **bearer(official_b)).json() == []
    other = client.get(f"/api/v1/information-requests/{number}", **bearer(official_b))
    assert other.status_code == 404


def test_open311_shows_information_requests_as_their_service_without_personal_data(
    client, forwarded
):
    response = client.get("/open311/v2/requests.json?service_code=information_request")
    [record] = response.json()
    assert record["service_request_id"] == forwarded.case.tracking_number
    assert record["service_code"] == "information_request"
    assert record["service_notice"] == forwarded.registration_number
    assert record["status"] == "open" and record["agency_responsible"] == "Dinas PU"
    assert record["expected_datetime"] is not None and record["lat"] is None
    assert not any(word in response.content.decode() for word in PERSONAL)
    detail = client.get(f"/open311/v2/requests/{forwarded.case.tracking_number}.xml")
    assert detail.status_code == 200 and NIK.encode() not in detail.content
    assert forwarded.registration_number.encode() in detail.content
