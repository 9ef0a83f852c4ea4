"""Every look at a case's personal data is logged; the DPO reads the log and its alerts."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from wadul import testing
from wadul.api.models import ApiToken
from wadul.cases.models import Attachment, Visibility
from wadul.privacy import services
from wadul.privacy.models import AccessLog


def test_the_log_shows_who_opened_a_confidential_case(client, unit_a, operator, dpo):
    case = testing.create_case(unit=unit_a, visibility=Visibility.CONFIDENTIAL)
    testing.login(client, operator)
    assert client.get(f"/inbox/kasus/{case.tracking_number}/").status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.official, entry.case, entry.surface) == (operator, case, "case_page")
    assert entry.confidential and entry.case_unit_id == unit_a.pk

    client.logout()
    testing.login(client, dpo)
    page = client.get(f"/inbox/privasi/kasus/{case.tracking_number}/").content.decode()
    assert "Olga" in page and case.tracking_number in page
    per_official = client.get(f"/inbox/privasi/petugas/{operator.pk}/").content.decode()
    assert case.tracking_number in per_official


def test_attachment_downloads_and_api_reads_are_logged(client, official_a, case_a):
    item = Attachment(case=case_a, kind="document", content_type="application/pdf", size=3)
    item.sha256 = "0" * 64
    item.file.save("ktp.pdf", ContentFile(b"pdf"), save=True)
    testing.login(client, official_a)
    client.get(f"/inbox/kasus/{case_a.tracking_number}/lampiran/{item.pk}/")
    _token, key = ApiToken.issue(official_a, "dashboard")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(f"/api/v1/cases/{case_a.tracking_number}", **auth)
    client.get(f"/api/v1/cases/{case_a.tracking_number}/messages", **auth)
    logged = list(AccessLog.objects.order_by("pk").values_list("surface", "detail"))
    assert logged == [
        ("attachment", f"attachment {item.pk}"),
        ("api", "case"),
        ("api", "messages"),
    ]


def test_a_case_outside_the_officials_reach_is_neither_shown_nor_logged(client, official_b, case_a):
    testing.login(client, official_b)
    assert client.get(f"/inbox/kasus/{case_a.tracking_number}/").status_code == 404
    assert not AccessLog.objects.exists()


def test_only_the_dpo_reads_the_log(client, official_a, operator, case_a):
    for official in (official_a, operator):
        testing.login(client, official)
        assert client.get("/inbox/privasi/").status_code == 403
        assert client.get(f"/inbox/privasi/kasus/{case_a.tracking_number}/").status_code == 403
        client.logout()


def test_many_confidential_cases_outside_the_officials_units_raise_an_alert(
    client, unit_a, operator, official_a, dpo, settings
):
    settings.PRIVACY_ALERT_CONFIDENTIAL_OUTSIDE = 3
    cases = [testing.create_case(unit=unit_a, visibility=Visibility.CONFIDENTIAL) for _ in range(3)]
    testing.login(client, operator)
    for case in cases:
        client.get(f"/inbox/kasus/{case.tracking_number}/")
    client.logout()
    # The unit's own staff reading its own confidential cases is their work, not a pattern.
    testing.login(client, official_a)
    for case in cases:
        client.get(f"/inbox/kasus/{case.tracking_number}/")
    client.logout()
    testing.login(client, dpo)
    alerts = client.get("/inbox/privasi/").context["alerts"]
    assert [(a.official, a.kind, a.count) for a in alerts] == [
        (operator, "confidential_outside", 3)
    ]


def test_an_export_needs_a_reason_and_bulk_exports_raise_an_alert(
    client, dpo, citizen, case_a, settings
):
    settings.PRIVACY_ALERT_EXPORTS = 2
    testing.login(client, dpo)
    url = f"/inbox/privasi/warga/{citizen.pk}/"
    refused = client.post(url, {"action": "export", "reason": ""})
    assert refused.status_code == 302 and not AccessLog.objects.exists()
    second = testing.create_case(unit=case_a.unit, contact=citizen)
    exported = client.post(url, {"action": "export", "reason": "permintaan polisi"})
    assert exported["Content-Type"] == "application/json"
    assert set(AccessLog.objects.values_list("surface", "case", "detail")) == {
        ("export", case_a.pk, "permintaan polisi"),
        ("export", second.pk, "permintaan polisi"),
    }
    alerts = client.get("/inbox/privasi/").context["alerts"]
    assert [(a.official, a.kind) for a in alerts] == [(dpo, "bulk_exports")]


@pytest.mark.django_db(transaction=True)
def test_the_log_row_is_committed_on_its_own_outside_a_transaction(unit_a, official_a):
    # The path the inbox takes (autocommit): on PostgreSQL, an asynchronous commit.
    case = testing.create_case(unit=unit_a)
    services.log_access(official_a, case, AccessLog.Surface.CASE_PAGE)
    assert AccessLog.objects.filter(case=case, official=official_a).count() == 1


def test_the_case_page_pays_one_insert_for_the_log_and_no_read(client, official_a, case_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    testing.login(client, official_a)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/inbox/kasus/{case_a.tracking_number}/")
    touching = [q["sql"] for q in captured.captured_queries if "privacy_accesslog" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT INTO")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_log_row_is_one_statement_that_commits_itself(unit_a, official_a):
    # On PostgreSQL one round trip; the ORM's bulk_create would send BEGIN and COMMIT too.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = testing.create_case(unit=unit_a)
    with CaptureQueriesContext(connection) as captured:
        services.log_access(official_a, case, AccessLog.Surface.CASE_PAGE, "lihat")
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["INSERT"]
    assert not connection.in_atomic_block and connection.get_autocommit()
    row = AccessLog.objects.get(case=case)
    assert (row.official, row.case_unit_id, row.surface, row.detail) == (
        official_a,
        unit_a.pk,
        "case_page",
        "lihat",
    )


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_failed_log_write_leaves_the_connection_usable(unit_a, official_a):
    from django.db import DataError, connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not check a text's length")
    case = testing.create_case(unit=unit_a)
    with pytest.raises(DataError):
        services.log_access(official_a, case, "a-surface-too-long-for-its-column")
    assert not AccessLog.objects.filter(case=case).exists()
    services.log_access(official_a, case, AccessLog.Surface.CASE_PAGE)
    assert AccessLog.objects.filter(case=case).count() == 1
