"""A hand-over by WhatsApp goes through `duty.services.hand_over` and is logged."""

from __future__ import annotations

from django.utils import timezone

from wadul import testing
from wadul.duty.models import DutyEvent
from wadul.whatsapp.relay import services as relay


def test_a_hand_over_is_logged_as_the_official_through_the_relay(unit_a, official_a):
    colleague = testing.create_official("agus", unit=unit_a)
    assert relay.hand_over(official_a, "agus", at=timezone.now()).ok
    event = DutyEvent.objects.get()
    assert (event.kind, event.unit, event.official, event.actor, event.via) == (
        DutyEvent.Kind.HANDED_OVER,
        unit_a,
        colleague,
        official_a,
        "relay",
    )
