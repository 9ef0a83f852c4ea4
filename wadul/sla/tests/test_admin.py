"""The clock's settings in the admin (Indonesian), and what saving them does."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from wadul import testing
from wadul.cases.models import Case
from wadul.organisation.models import Official

WIB = ZoneInfo("Asia/Jakarta")
PAGES = [
    "/admin/sla/schedule/",
    "/admin/sla/schedule/add/",
    "/admin/sla/unitschedule/",
    "/admin/sla/localholiday/",
    "/admin/sla/closure/",
    "/admin/sla/target/",
    "/admin/sla/escalationstep/",
    "/admin/sla/escalation/",
    "/admin/sla/notification/",
]


@pytest.fixture
def admin_client(client, central_desk):
    admin = testing.create_official(
        "root", unit=central_desk, role=Official.Role.ADMIN, is_staff=True, is_superuser=True
    )
    testing.login(client, admin)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_open_in_indonesian(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"


def test_office_hours_and_holidays_are_labelled_in_indonesian(admin_client):
    page = admin_client.get("/admin/sla/schedule/").content.decode()
    assert "Jam kerja kantor" in page and "Buka 24 jam" in page
    page = admin_client.get("/admin/sla/localholiday/").content.decode()
    # The national calendar is shown so nobody enters Idul Fitri by hand.
    assert "Libur nasional dan cuti bersama" in page
    assert "Cuti Bersama" in page


def test_unit_staff_are_refused(client, official_a):
    client.force_login(official_a)
    response = client.get("/admin/sla/target/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_adding_a_local_holiday_in_the_admin_moves_open_deadlines(
    admin_client, unit_a, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    case = testing.create_case(unit=unit_a, at=datetime(2026, 1, 9, 15, 30, tzinfo=WIB))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/sla/localholiday/add/", {"date": "2026-01-12", "name": "Hari Jadi", "unit": ""}
        )
    assert response.status_code == 302
    due = Case.objects.get(pk=case.pk).first_response_due_at
    assert due == datetime(2026, 1, 13, 9, 0, tzinfo=WIB)
