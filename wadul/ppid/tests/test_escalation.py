"""A late request escalates on the clock's ladder to the officer the law names: the PPID
Utama while the written notice is late, the atasan PPID while an objection is."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

import pytest
from django.apps import apps

from wadul.cases.models import Via
from wadul.ppid import services
from wadul.ppid.models import PpidRequest
from wadul.sla import services as clock
from wadul.sla.models import Notification

from .test_intake import ask
from .test_services import DEC_14, T1, WIB, Decision

defaults = importlib.import_module("wadul.sla.migrations.0002_defaults")


@pytest.fixture(autouse=True)
def ladder(db):
    defaults.create(apps, None)


def escalated(deadline: str = "resolution") -> set[str]:
    return {
        n.recipient.username
        for n in Notification.objects.filter(
            kind=Notification.Kind.ESCALATED, deadline=deadline
        ).select_related("recipient")
    }


@pytest.fixture
def forwarded(pigeon, citizen, kominfo, pelaksana, setda, ppid_utama):
    request = PpidRequest.objects.get(case=ask(pigeon, citizen, at=DEC_14))
    return services.forward(request, to_unit=pelaksana, actor=ppid_utama, via=Via.INBOX, at=T1)


def test_a_late_written_notice_escalates_to_the_ppid_utama_and_the_opd_head(
    forwarded, ppid_utama, head_a, atasan
):
    # Notice due 30 Dec 2026; a week later the ladder has run.
    clock.sweep(now=datetime(2027, 1, 6, 10, 0, tzinfo=WIB))
    assert escalated() == {ppid_utama.username, head_a.username}


def test_a_late_objection_decision_escalates_to_the_atasan_not_the_utama(
    forwarded, official_a, ppid_utama, atasan
):
    at = DEC_14 + timedelta(days=2)
    request = services.decide(
        forwarded,
        decision=Decision.REFUSED,
        exemption_basis="17a",
        consequence_test="Berkas penyidikan kasus pengadaan 2026: membuka strategi penyidikan.",
        actor=official_a,
        via="inbox",
        at=at,
    )
    services.lodge_objection(request, grounds=["a"], text="Bukan rahasia", via="whatsapp", at=at)
    # The atasan's 30 working days end 2 Feb 2027.
    clock.sweep(now=datetime(2027, 2, 9, 10, 0, tzinfo=WIB))
    assert escalated() == {atasan.username}
