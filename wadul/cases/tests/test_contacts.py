"""`services.merge_contacts`: one person seen under two contacts."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wadul import testing
from wadul.cases import services
from wadul.cases.models import CaseEvent, Contact, ContactIdentity, Via

E = CaseEvent.Kind


def test_the_cases_and_identities_move_and_each_moved_case_records_the_merge(unit_a):
    older = testing.create_contact("Siti")
    newer = testing.create_contact("", wa_id="6281299990001")
    kept = testing.create_case(unit=unit_a, contact=older)
    moved = testing.create_case(unit=unit_a, contact=newer)
    newer.consent_at = timezone.now()
    Contact.objects.filter(pk=newer.pk).update(consent_at=newer.consent_at)

    newer_id = newer.pk
    services.merge_contacts(into=older, other=newer, via=Via.WHATSAPP)

    assert not Contact.objects.filter(pk=newer_id).exists()
    assert ContactIdentity.objects.get(value="6281299990001").contact == older
    moved.refresh_from_db()
    assert moved.contact == older
    event = moved.events.get(kind=E.CONTACT_MERGED)
    assert event.via == Via.WHATSAPP
    assert event.data == {"from_contact": newer_id, "into_contact": older.pk}
    assert not kept.events.filter(kind=E.CONTACT_MERGED).exists()
    older.refresh_from_db()
    assert older.consent_at == newer.consent_at
    assert older.display_name == "Siti"


def test_a_contact_is_not_merged_into_itself(citizen):
    with pytest.raises(services.CaseError):
        services.merge_contacts(into=citizen, other=citizen, via=Via.WHATSAPP)
