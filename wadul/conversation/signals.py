"""Reactions to committed case events."""

from __future__ import annotations

import logging

from wadul.cases import channels
from wadul.cases.models import CaseEvent
from wadul.conversation import notices

logger = logging.getLogger(__name__)


def on_case_event(sender, *, event: CaseEvent, historical: bool, **kwargs) -> None:
    """A case was resolved: ask the citizen for a rating where their channel can ask."""
    if historical or event.kind != CaseEvent.Kind.RESOLVED:
        return
    case = event.case
    channel = channels.get(case.channel)
    if channel is None or not channel.asks_for_rating(case):
        return
    try:
        notices.request_rating(case)
    except Exception:  # the resolution stands even if the question cannot be queued
        logger.exception("could not ask for a rating of case %s", case.pk)
