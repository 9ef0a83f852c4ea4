from __future__ import annotations

import random
import threading

import pytest
from django.db import connection

from wadul import testing
from wadul.cases import tracking
from wadul.cases.models import Case


def test_tracking_numbers_are_short_and_unambiguous():
    numbers = {tracking.random_tracking_number() for _ in range(2000)}
    assert len(numbers) == 2000
    for number in numbers:
        assert len(number) == 9 and number[4] == "-"
        assert not set(number) & set("01OIL UV")


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("k7pm 2xrq", "K7PM-2XRQ"),
        ("K7PM-2XRQ", "K7PM-2XRQ"),
        ("k7pm.2xrq", "K7PM-2XRQ"),
        ("K7PM2XR", None),
        ("K7PM-2XR0", None),
        ("", None),
    ],
)
def test_normalise(typed, expected):
    assert tracking.normalise(typed) == expected


def test_find_in_text():
    assert tracking.find_in_text("status k7pm-2xrq tolong") == "K7PM-2XRQ"
    assert tracking.find_in_text("tidak ada nomor") is None


@pytest.mark.django_db(transaction=True)
def test_tracking_numbers_stay_unique_under_concurrent_creation(monkeypatch):
    # A tiny number space forces collisions, so the retry on the unique index is exercised
    # by several threads (each with its own database connection) at once.

    letters = "ABCDE"
    space = [
        f"AAAA-{a}{b}{c}{d}" for a in letters for b in letters for c in letters for d in "ABCD"
    ]
    monkeypatch.setattr(tracking, "random_tracking_number", lambda: random.choice(space))
    unit = testing.create_unit("Dinas PU")
    threads, per_thread, errors = 6, 15, []

    def work():
        try:
            for _ in range(per_thread):
                testing.create_case(unit=unit, contact=None)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    numbers = list(Case.objects.values_list("tracking_number", flat=True))
    assert len(numbers) == threads * per_thread == len(set(numbers))
