"""`<option>` lists built in Python: Django's per-option widget templates cost more than the
rest of the case list together once a select has a few hundred choices (every desa)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from wadul.organisation.models import Region, Unit

_REGIONS_TTL = 300.0
_regions: tuple[float, list[tuple[str, str]]] = (0.0, [])


def options(choices: Iterable[tuple[object, object]], selected: object = None) -> SafeString:
    chosen = "" if selected is None else str(selected)
    parts = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == chosen else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 (every value and label escaped above)


_units: tuple[float, list[tuple[int, str]]] = (0.0, [])


def unit_choices() -> list[tuple[int, str]]:
    """Active units of the regency (not external), cached for a minute."""
    global _units
    loaded_at, choices = _units
    if choices and time.monotonic() - loaded_at < 60:
        return choices
    choices = list(
        Unit.objects.exclude(kind=Unit.Kind.EXTERNAL)
        .filter(is_active=True)
        .order_by("path")
        .values_list("pk", "name")
    )
    _units = (time.monotonic(), choices)
    return choices


def region_choices() -> list[tuple[str, str]]:
    """Kecamatan and desa, each desa under its kecamatan (cached for a few minutes)."""
    global _regions
    loaded_at, choices = _regions
    if choices and time.monotonic() - loaded_at < _REGIONS_TTL:
        return choices
    rows = Region.objects.filter(level__in=[Region.Level.KECAMATAN, Region.Level.DESA]).values_list(
        "code", "name", "level", "kind"
    )
    choices = []
    for code, name, level, kind in rows:
        label = Region(code=code, name=name, level=level, kind=kind).label
        choices.append((code, f"\u2003{label}" if level == Region.Level.DESA else label))
    _regions = (time.monotonic(), choices)
    return choices
