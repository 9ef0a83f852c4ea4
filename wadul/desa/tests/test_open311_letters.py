"""Open311: every letter service of every desa is a `service_code` with a definition (its
data and documents), and letter requests are readable — without any personal data."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from wadul.desa.models import Service
from wadul.desa.tests.conftest import DOMISILI, request_letter
from wadul.portal.open311.models import ApiKey

BASE = "/open311/v2"
CODE = "surat-DS-KEMIREN-domisili"


def test_each_letter_service_is_a_service_code(client, desa, other_desa):
    listed = json.loads(client.get(f"{BASE}/services.json").content)
    codes = {item["service_code"]: item for item in listed}
    assert CODE in codes and "surat-DS-OLEHSARI-skck" in codes
    domisili = codes[CODE]
    assert domisili["service_name"] == "Surat Keterangan Domisili — Desa Kemiren"
    assert "Foto KTP" in domisili["description"] and "8 jam kerja" in domisili["description"]
    assert domisili["metadata"] is True
    Service.objects.filter(unit=other_desa, code="skck").update(is_active=False)
    listed = json.loads(client.get(f"{BASE}/services.json").content)
    assert "surat-DS-OLEHSARI-skck" not in {item["service_code"] for item in listed}
    root = ET.fromstring(client.get(f"{BASE}/services.xml").content)  # noqa: S314 (ours)
    assert CODE in [s.findtext("service_code") for s in root.iter("service")]


def test_a_letter_services_definition(client, desa):
    definition = json.loads(client.get(f"{BASE}/services/{CODE}.json").content)
    assert definition["service_code"] == CODE
    asked = [a["code"] for a in definition["attributes"] if a["variable"]]
    assert asked == ["nama", "nik", "no_kk", "alamat", "keperluan"]
    notes = " ".join(a["description"] for a in definition["attributes"] if not a["variable"])
    assert "Foto KTP" in notes and "Gratis" in notes and "WhatsApp" in notes
    assert client.get(f"{BASE}/services/surat-DS-KEMIREN-sakti.json").status_code == 404
    assert client.get(f"{BASE}/services/{CODE}.xml").status_code == 200


def test_letter_requests_are_readable_without_personal_data(client, desa, other_desa):
    case = request_letter(desa)
    request_letter(other_desa, layanan="skck")
    body = client.get(f"{BASE}/requests.json?service_code={CODE}").content.decode()
    (record,) = json.loads(body)
    assert record["service_request_id"] == case.tracking_number
    assert record["service_code"] == CODE and record["status"] == "open"
    assert record["agency_responsible"] == "Desa Kemiren"
    assert record["expected_datetime"]  # the service's target
    for personal in (DOMISILI["nama"], DOMISILI["nik"], DOMISILI["no_kk"], DOMISILI["alamat"]):
        assert personal not in body
    detail = client.get(f"{BASE}/requests/{case.tracking_number}.xml").content.decode()
    assert case.tracking_number in detail and DOMISILI["nik"] not in detail
    assert DOMISILI["nama"] not in client.get(f"{BASE}/requests.json").content.decode()


def test_a_letter_cannot_be_requested_through_open311(client, desa):
    key, raw = ApiKey.issue("Aplikasi Smart Kampung")
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": raw, "service_code": CODE, "description": "Minta surat domisili saya"},
    )
    assert response.status_code == 400 and "lewat WhatsApp" in response.content.decode()
