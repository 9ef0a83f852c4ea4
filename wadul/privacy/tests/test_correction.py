"""A correction goes through the services and into each case's event log; one that would
rewrite a case's history is refused with reasons."""

from __future__ import annotations

import pytest

from wadul import testing
from wadul.cases.models import Via
from wadul.privacy import services


def test_a_name_is_corrected_and_the_change_recorded_in_every_case(
    client, dpo, citizen, case_a, unit_a
):
    other = testing.create_case(unit=unit_a, contact=citizen)
    testing.login(client, dpo)
    client.post(
        f"/inbox/privasi/warga/{citizen.pk}/",
        {
            "action": "correct",
            "field": "display_name",
            "value": "Siti  Rahayuningsih",
            "reason": "k",
        },
    )
    citizen.refresh_from_db()
    assert citizen.display_name == "Siti Rahayuningsih"
    for case in (case_a, other):
        event = case.events.get(kind=services.CORRECTED)
        assert event.actor == dpo and event.data == {"field": "display_name"}


def test_a_correction_that_would_rewrite_a_case_is_refused(dpo, citizen, case_a):
    with pytest.raises(services.ErasureRefused) as refused:
        services.correct_contact(citizen, "description", "lain", actor=dpo, via=Via.INBOX)
    assert "history" in str(refused.value) or "riwayat" in str(refused.value)
    case_a.refresh_from_db()
    assert not case_a.events.filter(kind=services.CORRECTED).exists()
