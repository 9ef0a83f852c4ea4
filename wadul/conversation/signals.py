"""Reactions to committed case events."""

from __future__ import annotations

import logging

from django.db import transaction

from wadul.cases import channels
from wadul.cases.models import Case, CaseEvent, Status
from wadul.conversation import notices
from wadul.privacy.services import is_restricted

logger = logging.getLogger(__name__)


def on_case_event(sender, *, event: CaseEvent, historical: bool, **kwargs) -> None:
    """Tell the citizen what changed for them: a case out of triage has its unit (and a
    deadline); a resolved case asks for a rating where the channel can ask (unless the
    person restricted the processing of their data)."""
    if historical:
        return
    if event.kind == CaseEvent.Kind.ASSIGNED and event.from_status == Status.TRIAGE:
        _safely(notices.assigned, event.case)
    elif event.kind == CaseEvent.Kind.RESOLVED:
        channel = channels.get(event.case.channel)
        # A person who restricted processing is not asked for anything more (UU 27/2022).
        if (
            channel is not None
            and channel.asks_for_rating(event.case)
            and not is_restricted(event.case.contact_id)
        ):
            _safely(notices.request_rating, event.case)


def _safely(notify, case) -> None:
    # The change stands even if the notice cannot be queued.
    try:
        with transaction.atomic():
            notify(Case.objects.select_related("unit", "channel_number").get(pk=case.pk))
    except Exception:
        logger.exception("could not tell the citizen of case %s (%s)", case.pk, notify.__name__)
