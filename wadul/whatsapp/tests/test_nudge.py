"""Nudges: the work asks for a run of a background job by its name."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from wadul.whatsapp import nudge

pytestmark = pytest.mark.django_db(transaction=True)


def runs(job: str) -> int:
    return DBTaskResult.objects.filter(task_path__endswith=f".{job}").count()


def test_every_job_the_work_asks_for_is_registered():
    # Registered when the apps load (their tasks modules are imported in `ready`).
    for job in ("process_webhooks", "send_outbox", "download_media", "send_held_follow_ups"):
        nudge.kick(job)
        assert runs(job) == 1


def test_an_unknown_job_fails_in_the_callers_transaction_not_after_its_commit():
    # The error comes inside the block, not from the commit at its end.
    with transaction.atomic(), pytest.raises(KeyError):
        nudge.kick_on_commit("no_such_job")


def test_kicks_collected_in_a_block_become_one_run_per_job_after_it():
    with nudge.kicks_after():
        for _ in range(3):
            with transaction.atomic():
                nudge.kick_on_commit("send_outbox")
                nudge.kick_on_commit("download_media")
        assert runs("send_outbox") == 0
    assert runs("send_outbox") == 1
    assert runs("download_media") == 1


def test_a_kick_while_a_run_is_waiting_adds_none():
    nudge.kick("process_webhooks")
    nudge.kick("process_webhooks")
    assert runs("process_webhooks") == 1
