"""The official's clock notifications in the inbox: the list, the badge, reading them."""

from __future__ import annotations

import importlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.test import Client

from wadul import testing
from wadul.sla import services as clock
from wadul.sla.models import Notification

login = testing.login
WIB = ZoneInfo("Asia/Jakarta")
FRIDAY = datetime(2026, 1, 9, 15, 30, tzinfo=WIB)  # first response due Monday 09:00
WARNING = datetime(2026, 1, 12, 8, 30, tzinfo=WIB)
BREACH = datetime(2026, 1, 12, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def clock_defaults(db):
    """The clock's ladder as its data migration installs it (a transactional test elsewhere
    may have flushed it)."""
    importlib.import_module("wadul.sla.migrations.0002_defaults").create(apps, None)


@pytest.fixture
def mine(unit_a, official_a):
    """A case of official_a's unit, warned about and then missed: two notifications."""
    case = testing.create_case(unit=unit_a, at=FRIDAY, text="Jalan Kemiren berlubang")
    clock.sweep(now=WARNING)
    clock.sweep(now=BREACH)
    return case


@pytest.fixture
def theirs(unit_b, official_b):
    case = testing.create_case(unit=unit_b, at=FRIDAY, text="Puskesmas tutup siang")
    clock.sweep(now=BREACH)
    return case


def badge(page: str) -> str | None:
    found = re.search(r'id="unread-count">(\d+\+?)<', page)
    return found.group(1) if found else None


def test_it_requires_login(client):
    response = client.get("/inbox/notifikasi/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    response = client.post("/inbox/notifikasi/baca/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_it_lists_only_my_notifications_newest_first(client, official_a, mine, theirs):
    login(client, official_a)
    response = client.get("/inbox/notifikasi/")
    assert response.status_code == 200
    notes = [note for note, _text, _css in response.context["items"]]
    assert [(n.case, n.kind) for n in notes] == [
        (mine, Notification.Kind.BREACHED),
        (mine, Notification.Kind.WARNING),
    ]
    page = response.content.decode()
    assert f'href="/inbox/kasus/{mine.tracking_number}/"' in page
    assert theirs.tracking_number not in page
    assert page.count('class="notification unread"') == 2
    # The deadline, when it fell due, how late it is now, the step, when it was sent.
    assert "Tanggapan pertama, tenggat Sen 12 Jan 2026 09.00" in page
    assert "terlambat" in page
    assert "Pengingat 30 menit sebelum batas respons" in page
    assert "12 Jan 2026 08.30" in page


def test_another_official_sees_none_of_mine(client, official_b, mine, theirs):
    login(client, official_b)
    response = client.get("/inbox/notifikasi/")
    notes = [note for note, _text, _css in response.context["items"]]
    assert {n.case for n in notes} == {theirs}
    assert mine.tracking_number not in response.content.decode()


def test_the_navigation_shows_the_unread_count(client, official_a, official_b, mine):
    login(client, official_a)
    assert badge(client.get("/inbox/").content.decode()) == "2"
    assert badge(client.get("/inbox/notifikasi/").content.decode()) == "2"
    client.logout()
    login(client, official_b)
    assert badge(client.get("/inbox/").content.decode()) is None


def test_the_badge_stops_counting_at_a_hundred(client, official_a, mine):
    first = Notification.objects.filter(recipient=official_a).first()
    Notification.objects.bulk_create(
        Notification(
            recipient=official_a,
            case=mine,
            kind=first.kind,
            deadline=first.deadline,
            due_at=first.due_at,
        )
        for _ in range(120)
    )
    login(client, official_a)
    assert badge(client.get("/inbox/").content.decode()) == "99+"


def test_mark_all_as_read(client, official_a, official_b, mine, theirs):
    login(client, official_a)
    page = client.get("/inbox/notifikasi/").content.decode()
    up_to = re.search(r'name="up_to" value="(\d+)"', page).group(1)
    # One arriving after the page was drawn is not marked with the rest.
    later = Notification.objects.create(
        recipient=official_a, case=mine, kind="escalated", deadline="first_response", due_at=BREACH
    )
    response = client.post("/inbox/notifikasi/baca/", {"up_to": up_to}, follow=True)
    assert response.redirect_chain == [("/inbox/notifikasi/", 302)]
    unread = Notification.objects.filter(read_at__isnull=True)
    assert set(unread.values_list("recipient", flat=True)) == {official_a.pk, official_b.pk}
    assert list(unread.filter(recipient=official_a)) == [later]
    assert badge(response.content.decode()) == "1"
    assert response.content.decode().count('class="notification unread"') == 1


def test_mark_all_as_read_never_touches_anyone_elses(client, official_b, official_a, theirs, mine):
    login(client, official_b)
    newest = Notification.objects.filter(recipient=official_a).order_by("-pk").first()
    response = client.post("/inbox/notifikasi/baca/", {"up_to": newest.pk})
    assert response.status_code == 302
    # Only official_b's own were marked, even with an id of someone else's.
    assert not Notification.objects.filter(recipient=official_b, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=official_a, read_at__isnull=True).count() == 2


def test_mark_all_as_read_is_a_post_with_csrf(official_a, mine):
    client = Client(enforce_csrf_checks=True)
    login(client, official_a)
    assert client.get("/inbox/notifikasi/baca/").status_code == 405
    assert client.post("/inbox/notifikasi/baca/").status_code == 403
    assert not Notification.objects.filter(read_at__isnull=False).exists()
