"""Words Wadul sends to citizens, from `templates/conversation/*.txt` (Indonesian)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from wadul.cases.models import Case, Status
from wadul.core.texts import render_text

ENDED = frozenset({Status.RESOLVED, Status.CLOSED, Status.REFERRED, Status.REJECTED, Status.MERGED})


def render(name: str, **context: Any) -> str:
    """Render `conversation/<name>.txt` in Indonesian, whatever language the caller runs in."""
    return render_text(f"conversation/{name}.txt", **context)


def when(moment: datetime) -> str:
    """A deadline as citizens read it: "Senin, 7 Desember 2026 pukul 09.30 WIB"."""
    local = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
    with translation.override("id"):
        day = date_format(local, "l, j F Y")
    return f"{day} pukul {local:%H.%M} WIB"


def next_deadline(case: Case) -> tuple[str, datetime] | None:
    """The next step the citizen waits for and its working-time deadline, if one runs."""
    if case.first_response_at is None and case.first_response_due_at:
        return "jawaban pertama", case.first_response_due_at
    if case.next_response_due_at:
        return "jawaban berikutnya", case.next_response_due_at
    if case.resolution_due_at and case.status not in ENDED:
        return "penyelesaian", case.resolution_due_at
    return None
