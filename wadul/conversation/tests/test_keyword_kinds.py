"""A kind's keyword ("data saya") starts its intake even while the citizen has a case open:
it is not appended to the complaint."""

from __future__ import annotations

from wadul.cases.models import Case


def test_data_saya_during_an_open_complaint_starts_the_personal_data_request(pigeon, citizen):
    complaint = pigeon.receive(citizen, "Jalan berlubang di depan SD Kemiren").case
    started = pigeon.receive(citizen, "Data  Saya")
    assert started.outcome == "intake_started"
    assert "Apa yang Anda minta" in pigeon.last().text
    opened = pigeon.receive(citizen, "1")
    assert opened.outcome == "opened" and opened.case.type == "personal_data"
    assert opened.case.details == {"hak": "akses"}
    assert complaint.messages.filter(direction="inbound").count() == 1  # nothing appended
    assert Case.objects.count() == 2
