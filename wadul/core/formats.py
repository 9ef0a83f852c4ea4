"""One way to write durations, numbers, times and short titles, on every page and export.

Durations read "1 hari 21 jam" / "20 menit" (the two largest parts); numbers follow the
active language (Indonesian: "4,5", "1.234"); open data carries times in ISO 8601 with the
regency's offset ("2026-12-07T09:30:00+07:00"), as every page shows WIB.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import ngettext


def duration(minutes: float | timedelta | None, *, empty: str = "—") -> str:
    """ "1 hari 21 jam", "2 jam 5 menit", "20 menit": the two largest parts, rounded down."""
    if minutes is None:
        return empty
    if isinstance(minutes, timedelta):
        minutes = minutes.total_seconds() / 60
    total = max(0, int(minutes))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if mins or not parts:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins})
    return " ".join(parts[:2])


def number(value: float | int | None, decimals: int = 0, *, empty: str = "—") -> str:
    """A number in the active language's format, grouped ("1.234", "4,5" in Indonesian)."""
    if value is None:
        return empty
    # number_format cuts extra digits off; round half up first, as people do.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def percent(share: float | None, *, empty: str = "—") -> str:
    """A share (0..1) as a whole percentage: "87%"."""
    return empty if share is None else f"{number(share * 100)}%"


def iso_local(value: datetime | None) -> str | None:
    """ISO 8601 in the site's time zone, to the second: "2026-12-07T09:30:00+07:00"."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def shorten(text: str | None, width: int) -> str:
    """`text` cut to at most `width` characters at a word boundary, with "…" when cut."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut and not text[width - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-–—") + "…"
