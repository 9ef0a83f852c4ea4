from __future__ import annotations

from datetime import datetime

from django import template

from wadul.core import formats

register = template.Library()


def _duration(minutes: int) -> str:
    return formats.duration(minutes)


@register.simple_tag
def time_left(due: datetime | None, now: datetime) -> str:
    """ "sisa 1 jam 20 menit" or "terlambat 35 menit" (clock time, for a WhatsApp line)."""
    if due is None:
        return "tanpa tenggat"
    minutes = int((due - now).total_seconds() // 60)
    if minutes >= 0:
        return f"sisa {_duration(minutes)}"
    return f"terlambat {_duration(-minutes)}"
