"""Operators' publication decisions leave case events: approving a photo (through
`cases.services.approve_attachment`) and unmasking a term (`services.unmark_personal`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from wadul import testing
from wadul.cases.models import CaseEvent, Via
from wadul.portal import services as portal_services
from wadul.portal.models import PersonalTerm, PhotoDecision

E = CaseEvent.Kind


def test_approving_a_photo_records_a_case_event(photo, operator):
    portal_services.approve_photo(photo, actor=operator)
    event = photo.case.events.get(kind=E.ATTACHMENT_APPROVAL)
    assert (event.actor, event.via, event.data) == (
        operator,
        Via.INBOX,
        {"attachment": photo.pk, "approved": True},
    )
    assert PhotoDecision.objects.get(attachment=photo).approved


def test_an_operator_unmasks_a_term_from_the_publication_page(client, published_case, operator):
    term = portal_services.mark_personal("Kemiren", actor=operator, case=published_case)
    testing.login(client, operator)
    url = f"/pantau/kasus/{published_case.tracking_number}/"
    response = client.post(url, {"action": "unterm", "term_id": str(term.pk)})
    assert response.status_code == 302
    assert not PersonalTerm.objects.filter(pk=term.pk).exists()
    event = published_case.events.get(kind=E.TERM_UNMASKED)
    assert (event.actor, event.via, event.data) == (operator, Via.INBOX, {"term": term.pk})


def test_a_term_id_that_is_no_number_changes_nothing(client, published_case, operator):
    portal_services.mark_personal("Kemiren", actor=operator, case=published_case)
    testing.login(client, operator)
    url = f"/pantau/kasus/{published_case.tracking_number}/"
    response = client.post(url, {"action": "unterm", "term_id": "1 OR 1=1"})
    assert response.status_code == 302
    assert PersonalTerm.objects.count() == 1


def test_only_operators_unmask_terms(published_case, operator, official_a):
    term = portal_services.mark_personal("Kemiren", actor=operator, case=published_case)
    with pytest.raises(PermissionDenied):
        portal_services.unmark_personal(term, actor=official_a)
    assert PersonalTerm.objects.filter(pk=term.pk).exists()
