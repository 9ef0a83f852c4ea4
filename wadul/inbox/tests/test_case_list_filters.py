from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wadul import testing
from wadul.cases.models import Case, CaseType, Status

login = testing.login


def test_it_requires_login(client):
    response = client.get("/inbox/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_filter_by_status_and_type(client, official_a, unit_a):
    info = testing.create_case(unit=unit_a, type=CaseType.INFORMATION_REQUEST)
    complaint = testing.create_case(unit=unit_a, type=CaseType.COMPLAINT)
    login(client, official_a)
    page = client.get("/inbox/?antrian=all&type=information_request").content.decode()
    assert info.tracking_number in page and complaint.tracking_number not in page
    page = client.get("/inbox/?antrian=all&status=triage").content.decode()
    assert complaint.tracking_number not in page
    assert Case.objects.get(pk=complaint.pk).status == Status.ASSIGNED


def test_filter_by_kecamatan_includes_its_desa(client, official_a, unit_a):
    regency = testing.create_region("35.10", "Banyuwangi")
    kecamatan = testing.create_region("35.10.01", "Pesanggaran", parent=regency)
    desa = testing.create_region("35.10.01.2001", "Sarongan", parent=kecamatan)
    other = testing.create_region("35.10.02", "Bangorejo", parent=regency)
    in_desa = testing.create_case(unit=unit_a, region=desa)
    elsewhere = testing.create_case(unit=unit_a, region=other)
    login(client, official_a)
    page = client.get("/inbox/?antrian=all&region=35.10.01").content.decode()
    assert in_desa.tracking_number in page and elsewhere.tracking_number not in page
    assert "Desa Sarongan" in page  # region choices are labelled the way people say them


def test_filter_by_date(client, official_a, unit_a):
    old = testing.create_case(unit=unit_a, at=timezone.now() - timedelta(days=40))
    new = testing.create_case(unit=unit_a)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    login(client, official_a)
    page = client.get(f"/inbox/?antrian=all&since={since}").content.decode()
    assert new.tracking_number in page and old.tracking_number not in page
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    page = client.get(f"/inbox/?antrian=all&until={until}").content.decode()
    assert old.tracking_number in page and new.tracking_number not in page


def test_htmx_request_gets_only_the_results(client, official_a, case_a):
    login(client, official_a)
    response = client.get("/inbox/?antrian=unit", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert case_a.tracking_number in body
    assert 'id="results"' in body and "<html" not in body
    assert 'hx-swap-oob="true"' in body  # the queue counts refresh with it


def test_pages_of_fifty(client, official_a, unit_a):
    for _ in range(51):
        testing.create_case(unit=unit_a)
    login(client, official_a)
    first = client.get("/inbox/?antrian=unit").content.decode()
    assert "page=2" in first
    second = client.get("/inbox/?antrian=unit&page=2").content.decode()
    assert second.count('class="tn"') == 1
