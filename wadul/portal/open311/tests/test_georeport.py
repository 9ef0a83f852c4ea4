"""Open311 GeoReport v2: a client round trip in XML and JSON, checked against the field lists."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Case, ContactIdentity, Via
from wadul.portal import services as portal_services
from wadul.portal.open311.georeport import CREATED_FIELDS, REQUEST_FIELDS, SERVICE_FIELDS, w3c
from wadul.portal.open311.models import ApiKey, ServiceRequest
from wadul.portal.tests.conftest import png_file

BASE = "/open311/v2"

# The field lists of wiki.open311.org/GeoReport_v2, written out here rather than taken from
# the module under test, so a change there cannot quietly change what the tests accept.
SPEC_REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
SPEC_SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
SPEC_CREATED_FIELDS = ["service_request_id", "service_notice", "account_id"]
# A service definition's attribute; the list datatypes add "values" (each a key and a name).
SPEC_ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
]
SPEC_DISCOVERY_ENDPOINT_FIELDS = ["specification", "url", "changeset", "type", "formats"]


def test_the_documents_follow_the_specifications_field_lists():
    assert REQUEST_FIELDS == SPEC_REQUEST_FIELDS
    assert SERVICE_FIELDS == SPEC_SERVICE_FIELDS
    assert CREATED_FIELDS == SPEC_CREATED_FIELDS


@pytest.fixture
def api_key(db) -> str:
    return ApiKey.issue("SP4N-LAPOR!")[1]


def _xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 (our own response)


def _post(client, fmt, key, **fields):
    data = {
        "api_key": key,
        "service_code": "complaint",
        "lat": "-8.2012345",
        "long": "114.3219876",
        "description": "Lampu PJU mati di depan balai desa, hubungi 0812 3456 7890",
        "first_name": "Siti",
        "last_name": "Rahayu",
        "email": "siti@example.id",
        "phone": "0812-3456-7890",
    }
    data.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_json_round_trip_create_then_read_back(client, api_key):
    created = _post(client, "json", api_key)
    assert created.status_code == 200
    body = created.json()
    assert isinstance(body, list) and list(body[0]) == SPEC_CREATED_FIELDS
    number = body[0]["service_request_id"]
    case = Case.objects.get(tracking_number=number)
    assert case.channel == "api" and case.status == "triage"
    assert ServiceRequest.objects.get(case=case).service_code == "complaint"
    identities = dict(case.contact.identities.values_list("kind", "value"))
    assert identities == {ContactIdentity.Kind.EMAIL: "siti@example.id"}
    # The WhatsApp number waits for the code sent to it (portal.services.confirm_whatsapp).
    assert case.whatsapp_verification.number == "6281234567890"
    assert case.contact.display_name == "Siti Rahayu"

    read = client.get(f"{BASE}/requests/{number}.json", {"api_key": api_key})
    assert read.status_code == 200
    [record] = read.json()
    assert list(record) == SPEC_REQUEST_FIELDS
    assert record["service_request_id"] == number and record["status"] == "open"
    assert record["status_notes"] == "triase"
    assert record["lat"] == -8.201 and record["long"] == 114.322
    assert "0812" not in json.dumps(record) and "Siti" not in json.dumps(record)
    assert "[nomor disamarkan]" in record["description"]


def test_xml_round_trip_create_then_read_back(client, api_key, unit_a):
    created = _post(client, "xml", api_key, service_code="DPU", account_id="acc-7")
    root = _xml(created)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == SPEC_CREATED_FIELDS
    assert request.findtext("account_id") == "acc-7"
    number = request.findtext("service_request_id")
    case = Case.objects.get(tracking_number=number)
    assert case.unit == unit_a and case.status == "assigned"

    root = _xml(client.get(f"{BASE}/requests/{number}.xml", {"api_key": api_key}))
    [request] = root.findall("request")
    assert [child.tag for child in request] == SPEC_REQUEST_FIELDS
    assert request.findtext("service_code") == "DPU"
    assert request.findtext("service_name") == "Dinas PU"
    assert request.findtext("agency_responsible") == "Dinas PU"
    assert request.findtext("status") == "open"


def test_expected_datetime_is_the_clocks_resolution_deadline(client, api_key, unit_a):
    number = _post(client, "json", api_key, service_code="DPU").json()[0]["service_request_id"]
    case = Case.objects.get(tracking_number=number)
    assert case.resolution_due_at is not None  # set by the clock (wadul.sla)
    [record] = client.get(f"{BASE}/requests/{number}.json", {"api_key": api_key}).json()

    assert record["expected_datetime"] == w3c(case.resolution_due_at)
    assert record["expected_datetime"].endswith("+07:00")


def test_closed_statuses_map_to_closed(client, api_key, unit_a, official_a):
    number = _post(client, "json", api_key, service_code="DPU").json()[0]["service_request_id"]
    case = Case.objects.get(tracking_number=number)
    services.resolve(case, actor=official_a, via=Via.INBOX)
    [record] = client.get(f"{BASE}/requests/{number}.json", {"api_key": api_key}).json()
    assert record["status"] == "closed" and record["status_notes"] == "selesai"
    closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [number]
    assert client.get(f"{BASE}/requests.json", {"status": "open"}).json() == []


def test_post_needs_a_valid_key(client, db):
    response = _post(client, "json", "o311_wrong")
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    root = _xml(_post(client, "xml", ""))
    assert root.tag == "errors" and root.find("error/code").text == "403"
    assert not Case.objects.exists()


def test_a_revoked_key_is_refused(client, db):
    key_row, key = ApiKey.issue("old")
    key_row.revoked_at = key_row.created_at
    key_row.save()
    assert _post(client, "json", key).status_code == 403


def test_post_validates_service_location_and_text(client, api_key):
    response = _post(client, "json", api_key, service_code="nope", lat="", long="", description="x")
    assert response.status_code == 400
    descriptions = " ".join(e["description"] for e in response.json())
    assert "service_code" in descriptions and "description" in descriptions
    assert "location" in descriptions
    assert not Case.objects.exists()


def test_address_string_and_desa_attribute_are_accepted(client, api_key):
    region = testing.create_region("35.10", "Banyuwangi")
    desa = testing.create_region("35.10.12.2006", "Kemiren", parent=region)
    response = _post(
        client,
        "json",
        api_key,
        lat="",
        long="",
        address_string="Jl. Raya Kemiren",
        **{"attribute[desa]": desa.code, "attribute[visibility]": "anonymous"},
    )
    case = Case.objects.get(tracking_number=response.json()[0]["service_request_id"])
    assert case.region == desa and case.visibility == "anonymous"
    assert case.contact.display_name == ""


def test_get_lists_published_cases_only_without_a_key(client, case_a, unit_a):
    private = testing.create_case(unit=unit_a, visibility="confidential")
    listed = client.get(f"{BASE}/requests.json").json()
    numbers = [r["service_request_id"] for r in listed]
    assert case_a.tracking_number in numbers and private.tracking_number not in numbers
    assert client.get(f"{BASE}/requests/{private.tracking_number}.json").status_code == 404


def test_get_filters_by_id_list_service_code_and_dates(client, case_a, unit_b):
    other = testing.create_case(unit=unit_b, type="suggestion")
    ids = f"{case_a.tracking_number},{other.tracking_number}"
    both = client.get(f"{BASE}/requests.json", {"service_request_id": ids}).json()
    assert {r["service_request_id"] for r in both} == {
        case_a.tracking_number,
        other.tracking_number,
    }
    suggestions = client.get(f"{BASE}/requests.json", {"service_code": "suggestion"}).json()
    assert [r["service_request_id"] for r in suggestions] == [other.tracking_number]
    old = client.get(f"{BASE}/requests.json", {"end_date": "2001-01-01T00:00:00+07:00"}).json()
    assert old == []
    assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400


def test_services_list_in_both_formats(client, unit_a, unit_b):
    services_json = client.get(f"{BASE}/services.json").json()
    codes = [s["service_code"] for s in services_json]
    assert {"complaint", "suggestion", "DPU", "DINKES"} <= set(codes)
    assert all(list(s) == SPEC_SERVICE_FIELDS for s in services_json)
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert [c.tag for c in root.find("service")] == SPEC_SERVICE_FIELDS
    assert root.find("service/metadata").text == "true"


def test_service_definition_lists_attributes(client, unit_a):
    definition = client.get(f"{BASE}/services/DPU.json").json()
    assert list(definition) == ["service_code", "attributes"]
    assert definition["service_code"] == "DPU"
    for attribute in definition["attributes"]:
        listed = attribute["datatype"] in ("singlevaluelist", "multivaluelist")
        assert list(attribute) == SPEC_ATTRIBUTE_FIELDS + (["values"] if listed else [])
    assert all(list(v) == ["key", "name"] for v in definition["attributes"][0]["values"])
    codes = [a["code"] for a in definition["attributes"]]
    assert codes == ["visibility", "desa"]
    root = _xml(client.get(f"{BASE}/services/complaint.xml"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert [c.tag for c in attribute] == [*SPEC_ATTRIBUTE_FIELDS, "values"]
    assert attribute.findtext("code") == "visibility"
    assert [v.findtext("key") for v in attribute.findall("values/value")][:2] == [
        "public",
        "anonymous",
    ]
    assert client.get(f"{BASE}/services/NOPE.json").status_code == 404


def test_discovery_in_both_formats(client, db):
    discovery = client.get(f"{BASE}/discovery.json").json()
    assert list(discovery) == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = discovery["endpoints"][0]
    assert list(endpoint) == SPEC_DISCOVERY_ENDPOINT_FIELDS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.find("endpoints/endpoint/url").text.endswith("/open311/v2/")
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_media_url_is_an_approved_photo_only(client, case_a, operator):
    photo = services.add_attachment(
        case_a, file=png_file(), content_type="image/png", actor=None, via=Via.WEB
    )
    url = f"{BASE}/requests/{case_a.tracking_number}.json"
    assert client.get(url).json()[0]["media_url"] == ""
    portal_services.approve_photo(photo, actor=operator)
    assert client.get(url).json()[0]["media_url"].endswith(f"/foto/{photo.pk}/")
