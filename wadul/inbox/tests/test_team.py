from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client

from wadul import testing
from wadul.duty.models import DutyEvent, OnDutyShift
from wadul.organisation import services as org_services

login = testing.login


def test_head_edits_an_officials_whatsapp_number_which_its_owner_confirms(
    client, head_a, official_a, central_desk, django_capture_on_commit_callbacks
):
    testing.create_number(central_desk, "100000001", is_central=True)
    login(client, head_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/inbox/tim/{official_a.pk}/", {"whatsapp_number": "6281299990000"})
    assert response.status_code == 302
    official_a.refresh_from_db()
    # Not used by the relay until the phone's owner types back the code sent to it.
    assert official_a.whatsapp_number == "" and official_a.whatsapp_pending == "6281299990000"
    outbox = apps.get_model("whatsapp", "OutboundMessage").objects
    code = re.search(r"\b(\d{6})\b", outbox.get(recipient="6281299990000").content["text"])
    staff = Client()
    login(staff, official_a)
    assert 'id="confirm-whatsapp"' in staff.get("/inbox/akun/").content.decode()
    staff.post("/inbox/akun/whatsapp/", {"code": "000000"})
    official_a.refresh_from_db()
    assert official_a.whatsapp_number == ""
    staff.post("/inbox/akun/whatsapp/", {"code": code.group(1)})
    official_a.refresh_from_db()
    assert official_a.whatsapp_number == "6281299990000"


def test_an_officials_number_is_unique(client, head_a, official_a, unit_a):
    testing.create_official("budi", unit=unit_a, whatsapp_number="6281299990000")
    login(client, head_a)
    response = client.post(f"/inbox/tim/{official_a.pk}/", {"whatsapp_number": "6281299990000"})
    assert response.status_code == 400
    official_a.refresh_from_db()
    assert official_a.whatsapp_pending == "" and official_a.whatsapp_number == ""


def test_an_invalid_number_is_refused(client, head_a, official_a):
    login(client, head_a)
    response = client.post(f"/inbox/tim/{official_a.pk}/", {"whatsapp_number": "+62 812"})
    assert response.status_code == 400


def test_head_adds_and_removes_a_shift(client, head_a, official_a, unit_a):
    login(client, head_a)
    response = client.post(
        f"/inbox/tim/{official_a.pk}/",
        {
            "form": "shift",
            "unit": unit_a.pk,
            "weekday": "0",
            "start_time": "07:30",
            "end_time": "16:00",
            "priority": "1",
        },
    )
    assert response.status_code == 302
    shift = OnDutyShift.objects.get(official=official_a)
    assert shift.start_time.hour == 7
    client.post(f"/inbox/tim/{official_a.pk}/jadwal/{shift.pk}/hapus/")
    assert not OnDutyShift.objects.exists()


def test_adding_and_removing_a_shift_is_logged_as_the_head(client, head_a, official_a, unit_a):
    login(client, head_a)
    client.post(
        f"/inbox/tim/{official_a.pk}/",
        {"form": "shift", "unit": unit_a.pk, "weekday": "", "priority": "2"},
    )
    shift = OnDutyShift.objects.get(official=official_a)
    client.post(f"/inbox/tim/{official_a.pk}/jadwal/{shift.pk}/hapus/")
    log = list(DutyEvent.objects.order_by("pk").values_list("kind", "official", "actor", "via"))
    assert log == [
        (DutyEvent.Kind.SHIFT_ADDED, official_a.pk, head_a.pk, "inbox"),
        (DutyEvent.Kind.SHIFT_ENDED, official_a.pk, head_a.pk, "inbox"),
    ]


def test_a_head_cannot_edit_another_units_official(client, head_a, official_b):
    login(client, head_a)
    response = client.post(f"/inbox/tim/{official_b.pk}/", {"whatsapp_number": "6281200000000"})
    assert response.status_code == 404
    official_b.refresh_from_db()
    assert official_b.whatsapp_number == ""


def test_staff_have_no_team_page(client, official_a):
    login(client, official_a)
    assert client.get("/inbox/tim/").status_code == 403
    assert client.get(f"/inbox/tim/{official_a.pk}/").status_code == 403


def test_team_page_lists_the_unit(client, head_a, official_a, official_b):
    login(client, head_a)
    html = client.get("/inbox/tim/").content.decode()
    assert "Alice" in html and "Bob" not in html


def test_wrong_codes_for_an_officials_number_are_limited(official_a, central_desk):
    testing.create_number(central_desk, "100000001", is_central=True)
    org_services.propose_whatsapp_number(official_a, "6281299990000", actor=official_a, via="inbox")
    for _ in range(5):
        with pytest.raises(org_services.WrongCode):
            org_services.confirm_whatsapp_number(official_a, "000000")
    official_a.refresh_from_db()
    assert official_a.whatsapp_code_attempts == 5
