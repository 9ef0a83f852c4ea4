"""Reactions to committed case events."""

from __future__ import annotations

import logging

from wadul.cases.models import CaseEvent, Channel
from wadul.whatsapp.webhook import inbound

logger = logging.getLogger(__name__)


def on_case_event(sender, *, event: CaseEvent, historical: bool, **kwargs) -> None:
    """A WhatsApp case was resolved: ask the citizen for a rating."""
    if historical or event.kind != CaseEvent.Kind.RESOLVED:
        return
    case = event.case
    if case.channel != Channel.WHATSAPP or case.channel_number_id is None:
        return
    try:
        inbound.request_rating(case)
    except Exception:  # the resolution stands even if the question cannot be queued
        logger.exception("could not ask for a rating of case %s", case.pk)
