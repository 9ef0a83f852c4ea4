"""`services.approve_attachment`: which photos may appear on the portal, with an event."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from wadul.cases import services
from wadul.cases.models import Attachment, CaseEvent, Via

E = CaseEvent.Kind


def _attach(case, content_type: str = "image/jpeg", name: str = "jalan.jpg") -> Attachment:
    return services.add_attachment(
        case,
        file=ContentFile(b"\xff\xd8\xff" + b"0" * 100, name=name),
        content_type=content_type,
        actor=None,
        via=Via.WHATSAPP,
    )


def test_approving_a_photo_records_one_event_per_change(case_a, operator):
    photo = _attach(case_a)
    services.approve_attachment(photo, actor=operator, via=Via.INBOX)
    services.approve_attachment(photo, actor=operator, via=Via.INBOX)  # no change
    services.approve_attachment(photo, approved=False, actor=operator, via=Via.ADMIN)
    photo.refresh_from_db()
    assert photo.approved_for_public is False
    decisions = case_a.events.filter(kind=E.ATTACHMENT_APPROVAL).order_by("pk")
    assert [(e.data["approved"], e.via, e.actor) for e in decisions] == [
        (True, Via.INBOX, operator),
        (False, Via.ADMIN, operator),
    ]
    assert decisions[0].data["attachment"] == photo.pk


def test_only_photos_are_approved(case_a, operator):
    document = _attach(case_a, "application/pdf", "surat.pdf")
    with pytest.raises(services.CaseError):
        services.approve_attachment(document, actor=operator, via=Via.INBOX)
    assert not Attachment.objects.filter(approved_for_public=True).exists()


def test_an_official_of_another_unit_may_not_approve(case_a, official_b):
    photo = _attach(case_a)
    with pytest.raises(PermissionDenied):
        services.approve_attachment(photo, actor=official_b, via=Via.INBOX)
