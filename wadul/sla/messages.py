"""The clock's words: to officials about deadlines, from `sla/<kind>.txt`, and to a citizen
about an extension, from `sla/extension_notice.txt` (written in Indonesian; dates in
Indonesian too)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wadul.cases.models import Case
from wadul.core.texts import render_text

_MARKER = "TRACKING"


@lru_cache(maxsize=1)
def _case_url_pattern() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("inbox:case_detail", args=[_MARKER])


def notification_text(
    *, kind: str, case: Case, deadline: str, due_at: datetime, step_name: str
) -> str:
    """A notification's message for the official (`Notification.text`)."""
    context = {
        "case": case,
        "deadline": deadline,
        "due": timezone.localtime(due_at),
        "step_name": step_name,
        "url": _case_url_pattern().replace(_MARKER, case.tracking_number),
    }
    return render_text(f"sla/{kind}.txt", fold=False, **context)


def extension_notice(case: Case, *, days: int, due: datetime | None, reason: str) -> str:
    """What the applicant is told when their information request is extended (`due` is
    None while the clock waits for the applicant's reply)."""
    context = {
        "case": case,
        "days": days,
        "due": timezone.localtime(due) if due else None,
        "reason": reason,
    }
    return render_text("sla/extension_notice.txt", fold=False, **context)
