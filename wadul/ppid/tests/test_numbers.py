"""Registration and letter numbers are sequential per year and never given twice, even when
several workers take them at once (each thread its own connection; run on PostgreSQL too)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from wadul.ppid import services
from wadul.ppid.models import Sequence


@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_and_gapless_under_concurrent_takers():
    threads, per_thread, taken, errors = 4, 10, [], []

    def work():
        try:
            for _ in range(per_thread):
                with transaction.atomic():
                    taken.append(services.take_number("letter", 2031))
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
    assert sorted(taken) == list(range(1, threads * per_thread + 1))
    assert Sequence.objects.get(name="letter", year=2031).last == threads * per_thread
