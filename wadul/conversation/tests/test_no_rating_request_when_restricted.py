"""A person who restricted the processing of their data (UU 27/2022) is not asked to rate
a resolved case: the rating request is the one unsolicited message the core sends."""

from __future__ import annotations

from wadul.cases import services
from wadul.cases.channels import Purpose
from wadul.cases.models import Via
from wadul.privacy import services as privacy


def test_a_restricted_person_gets_no_rating_request(
    pigeon, citizen, official_a, django_capture_on_commit_callbacks
):
    case = pigeon.receive(citizen, "Lampu PJU mati di depan SDN 2 Rogojampi").case
    privacy.restrict_contact(citizen, reason="permintaan warga", actor=None, via=Via.SYSTEM)
    sent = len(pigeon.sent)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(case, actor=official_a, via=Via.INBOX)
    assert [n for n in pigeon.sent[sent:] if n.notice.purpose == Purpose.RATING_REQUEST] == []

    privacy.lift_restriction(citizen, actor=None, via=Via.SYSTEM)
    case = pigeon.receive(citizen, "Lampu PJU di pasar juga mati").case
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(case, actor=official_a, via=Via.INBOX)
    assert pigeon.last().notice.purpose == Purpose.RATING_REQUEST
