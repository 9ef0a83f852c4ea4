"""Background work for the WhatsApp channel, through the django_tasks API.

Each job drains one table and asks for its own next run; the work it runs asks for runs of
other jobs through `nudge` (by name), so nothing it imports leads back here.
"""

from __future__ import annotations

from django_tasks import task

from wadul.whatsapp import nudge
from wadul.whatsapp.outbound import media, sender
from wadul.whatsapp.webhook import processor

# How long one task keeps draining before it hands over (so other queues get a turn).
DRAIN_SECONDS = 2.0
# The sender has a queue of its own, so it hands over only to let the next run re-read
# the time of the next due row; a pause between runs is a gap in the sending pace.
SEND_DRAIN_SECONDS = 20.0


@nudge.job
@task()
def process_webhooks() -> int:
    done, more = processor.drain(budget_seconds=DRAIN_SECONDS)
    if more:
        nudge.kick("process_webhooks")
    return done


@nudge.job
@task(queue_name="outbox")
def send_outbox() -> int:
    return sender.drain(budget_seconds=SEND_DRAIN_SECONDS)


@nudge.job
@task()
def download_media() -> int:
    return media.drain(budget_seconds=DRAIN_SECONDS)
