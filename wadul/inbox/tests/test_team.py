from __future__ import annotations

from wadul import testing
from wadul.duty.models import DutyEvent, OnDutyShift

login = testing.login


def test_head_edits_an_officials_whatsapp_number(client, head_a, official_a):
    login(client, head_a)
    response = client.post(f"/inbox/tim/{official_a.pk}/", {"whatsapp_number": "6281299990000"})
    assert response.status_code == 302
    official_a.refresh_from_db()
    assert official_a.whatsapp_number == "6281299990000"


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
