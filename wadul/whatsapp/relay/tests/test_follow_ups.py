"""A citizen writing several messages in a row pings the official on duty once, and the
messages that came meanwhile follow as one notice when the quiet time is over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wadul import testing
from wadul.cases import services
from wadul.cases.models import Via
from wadul.core import memo
from wadul.core.schedule import EVERY_MINUTE
from wadul.duty.models import OnDutyShift
from wadul.whatsapp.conftest import UNIT_PNID
from wadul.whatsapp.models import OutboundMessage
from wadul.whatsapp.relay import services as relay
from wadul.whatsapp.relay.models import HeldFollowUp
from wadul.whatsapp.relay.tasks import send_held_follow_ups

OFFICIAL = "6281100000202"
COLLEAGUE = "6281100000209"


@pytest.fixture
def on_duty(unit_a, official_a):
    official_a.whatsapp_number = OFFICIAL
    official_a.save()
    OnDutyShift.objects.create(unit=unit_a, official=official_a)
    testing.create_number(unit_a, UNIT_PNID)
    return official_a


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block with its after-commit work (the notifications) done at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def notices(to: str = OFFICIAL) -> list[str]:
    rows = OutboundMessage.objects.filter(recipient=to).order_by("id")
    return [row.content["text"] for row in rows]


def test_follow_ups_soon_after_a_notice_are_held_and_sent_as_one(on_duty, citizen, committed):
    with committed():
        case = testing.create_case(unit=on_duty.unit, contact=citizen)
    assert len(notices()) == 1 and "Kasus baru" in notices()[0]
    for text in ("Fotonya menyusul", "Di depan SD Kemiren", "Tolong cepat"):
        with committed():
            services.receive_message(case, text=text, via=Via.WHATSAPP)
    assert len(notices()) == 1
    held = HeldFollowUp.objects.get(case=case)
    assert held.count == 3 and held.message.text == "Tolong cepat"
    assert relay.send_held_follow_ups(now=held.due_at - timedelta(seconds=1)) == 0
    assert relay.send_held_follow_ups(now=held.due_at) == 1
    assert len(notices()) == 2
    assert "3 pesan baru dari warga" in notices()[1] and "Tolong cepat" in notices()[1]
    assert case.tracking_number in notices()[1]
    assert not HeldFollowUp.objects.exists()
    assert relay.send_held_follow_ups(now=held.due_at) == 0


def test_a_follow_up_after_the_quiet_time_goes_at_once(on_duty, citizen, committed):
    with committed():
        case = testing.create_case(unit=on_duty.unit, contact=citizen)
    OutboundMessage.objects.update(created_at=F("created_at") - timedelta(minutes=6))
    with committed():
        services.receive_message(case, text="Sudah seminggu", via=Via.WHATSAPP)
    assert len(notices()) == 2
    assert "Pesan baru dari warga" in notices()[1] and "Sudah seminggu" in notices()[1]
    assert not HeldFollowUp.objects.exists()


def test_without_a_quiet_time_every_follow_up_goes_at_once(on_duty, citizen, committed, settings):
    settings.RELAY_FOLLOW_UP_QUIET_MINUTES = 0
    with committed():
        case = testing.create_case(unit=on_duty.unit, contact=citizen)
    for text in ("Satu", "Dua"):
        with committed():
            services.receive_message(case, text=text, via=Via.WHATSAPP)
    assert len(notices()) == 3


def test_held_notices_are_sent_by_the_periodic_task_too(on_duty, citizen, committed):
    assert send_held_follow_ups in EVERY_MINUTE
    with committed():
        case = testing.create_case(unit=on_duty.unit, contact=citizen)
        services.receive_message(case, text="Halo", via=Via.WHATSAPP)
    HeldFollowUp.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert send_held_follow_ups.call() == 1
    assert "Pesan baru dari warga" in notices()[-1]


def test_a_hand_over_is_seen_within_the_batch_that_made_it(unit_a, on_duty):
    colleague = testing.create_official("agus", unit=unit_a, whatsapp_number=COLLEAGUE)
    first, second = testing.create_case(unit=unit_a), testing.create_case(unit=unit_a)
    with memo.remembered():
        assert relay.notify_on_duty(first, reason="new") == [OFFICIAL]
        assert relay.hand_over(on_duty, colleague.username, at=timezone.now()).ok
        assert relay.notify_on_duty(second, reason="new") == [COLLEAGUE]


def test_inside_a_batch_senders_are_told_from_officials_with_one_query(on_duty):
    with memo.remembered(), CaptureQueriesContext(connection) as queries:
        for n in range(5):
            assert relay.official_for(f"628120000000{n}") is None
        assert relay.official_for(OFFICIAL) == on_duty
    officials = [q for q in queries if 'FROM "organisation_official"' in q["sql"]]
    assert len(officials) == 2  # all registered numbers once, then the official


def test_nothing_is_sent_about_a_case_closed_while_its_notice_was_held(on_duty, citizen, committed):
    with committed():
        case = testing.create_case(unit=on_duty.unit, contact=citizen)
        services.receive_message(case, text="Terima kasih", via=Via.WHATSAPP)
    held = HeldFollowUp.objects.get(case=case)
    with committed():
        services.answer(case, text="Sudah diperbaiki", actor=on_duty, via=Via.INBOX)
        services.resolve(case, actor=on_duty, via=Via.INBOX)
        services.rate(case, rating=5, via=Via.WHATSAPP)
        services.close(case, actor=None, via=Via.SYSTEM)
    assert relay.send_held_follow_ups(now=held.due_at) == 0
    assert len(notices()) == 1 and "Kasus baru" in notices()[0]
