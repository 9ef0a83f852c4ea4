"""How officials hear about deadlines outside the inbox.

Channel apps register a function here (the WhatsApp app: one that queues a template
message to the official's personal number); the clock calls every registered function
after the sweep's transaction commits, once per notification whose `whatsapp_requested` is
set. The clock itself sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django_tasks import task

from wadul.cases.models import Case
from wadul.organisation.models import Official
from wadul.sla.models import Notification

log = logging.getLogger(__name__)

# name -> notifier(official, case, kind, text); kind is a `Notification.Kind` value
# ("warning", "breached", "escalated"); text is the Indonesian message rendered from
# `wadul/sla/templates/sla/<kind>.txt`.
NOTIFIERS: dict[str, Callable[[Official, Case, str, str], None]] = {}


def deliver(notifications: Iterable[Notification]) -> None:
    """Hand notifications to every registered channel; one channel's failure does not stop
    the others (the notification stays in the inbox either way)."""
    for notification in notifications:
        for name, notifier in list(NOTIFIERS.items()):
            try:
                notifier(
                    notification.recipient, notification.case, notification.kind, notification.text
                )
            except Exception:
                log.exception("notifier %s failed for notification %s", name, notification.pk)


@task()
def deliver_notifications(ids: list[int]) -> int:
    """Hand the sweep's notifications to the channels (WhatsApp) outside the sweep."""
    rows = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient", "case", "case__unit")
        .order_by("pk")
    )
    deliver(rows)
    return len(rows)
