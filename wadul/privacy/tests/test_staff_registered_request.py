"""A request made at the counter is registered by staff as a personal-data case on the
DPO's unit, with the right asked for and how identity was proven."""

from __future__ import annotations

from wadul import testing
from wadul.cases.models import Case


def test_the_dpo_registers_a_counter_request(client, dpo, citizen, case_a, regency):
    pdp = testing.create_unit("Pejabat PDP", parent=regency, code="PDP")
    testing.login(client, dpo)
    response = client.post(
        f"/inbox/privasi/warga/{citizen.pk}/",
        {"action": "register", "right": "hapus", "reason": "Datang ke MPP, KTP diperiksa"},
    )
    request = Case.objects.get(type="personal_data")
    assert response.url == f"/inbox/privasi/kasus/{request.tracking_number}/"
    assert request.contact == citizen and request.unit == pdp
    assert request.details == {"hak": "hapus"} and request.channel == "walk_in"
    assert "KTP diperiksa" in request.description
    assert request.events.get(kind="opened").actor == dpo
