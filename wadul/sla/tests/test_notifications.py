"""Notifications to officials: their words, and reading them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from wadul import testing
from wadul.sla import services as clock
from wadul.sla.models import Notification

WIB = ZoneInfo("Asia/Jakarta")
FRIDAY = datetime(2026, 1, 9, 15, 30, tzinfo=WIB)  # first response due Monday 09:00
WARNING = datetime(2026, 1, 12, 8, 30, tzinfo=WIB)
BREACH = datetime(2026, 1, 12, 9, 0, tzinfo=WIB)


def test_mark_read_marks_only_the_officials_own_unread_ones(unit_a, unit_b, official_a, official_b):
    testing.create_case(unit=unit_a, at=FRIDAY)
    testing.create_case(unit=unit_b, at=FRIDAY)
    clock.sweep(now=WARNING)
    clock.sweep(now=BREACH)
    warning, breach = official_a.notifications.order_by("pk")
    assert official_b.notifications.count() == 2

    # Up to the newest one shown: a notification that arrived later stays unread.
    assert clock.mark_notifications_read(official_a, up_to=warning.pk, at=BREACH) == 1
    warning.refresh_from_db()
    breach.refresh_from_db()
    assert warning.read_at == BREACH and breach.read_at is None

    assert clock.mark_notifications_read(official_a) == 1
    assert not official_a.notifications.filter(read_at__isnull=True).exists()
    # Read ones keep their first reading time; nobody else's were touched.
    assert clock.mark_notifications_read(official_a) == 0
    warning.refresh_from_db()
    assert warning.read_at == BREACH
    assert official_b.notifications.filter(read_at__isnull=True).count() == 2


def test_the_message_keeps_the_citizens_words_as_written(unit_a, official_a):
    # Plain text for WhatsApp: no HTML escaping of quotes or ampersands.
    testing.create_case(unit=unit_a, at=FRIDAY, text='Lampu "PJU" di Jl. Ahmad Yani & gang mati')
    clock.sweep(now=BREACH)
    text = Notification.objects.get(recipient=official_a).text
    assert '"Lampu "PJU" di Jl. Ahmad Yani & gang mati"' in text
    assert "&amp;" not in text and "&quot;" not in text
