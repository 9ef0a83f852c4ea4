"""The PPID kind's `follow_up`: what a requester writes about a request that is a command
(withdrawing it, objecting to its decision) rather than a message to the PPID."""

from __future__ import annotations

from datetime import datetime

from wadul.cases.models import Case
from wadul.ppid import objections, withdrawal


def follow_up(case: Case, text: str, at: datetime) -> str | None:
    for handler in (withdrawal.follow_up, objections.follow_up):
        reply = handler(case, text, at)
        if reply is not None:
            return reply
    return None
