"""Words Wadul sends to citizens, from `templates/conversation/*.txt` (Indonesian)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from wadul.cases.models import Case, Status

ENDED = frozenset({Status.RESOLVED, Status.CLOSED, Status.REFERRED, Status.REJECTED, Status.MERGED})


def render(name: str, **context: Any) -> str:
    """Render `conversation/<name>.txt` in Indonesian, whatever language the caller runs in."""
    with translation.override("id"):
        text = render_to_string(f"conversation/{name}.txt", context)
    # Templates keep one blank line between paragraphs; drop the rest of the layout's
    # whitespace so the message reads as written.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


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
