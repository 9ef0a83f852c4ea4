"""`<option>` lists built in Python: Django's per-option widget templates cost more than the
rest of the case list together once a select has a few hundred choices (every desa)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from wadul.organisation.models import Region, Unit


def options(choices: Iterable[tuple[object, object]], selected: object = None) -> SafeString:
    chosen = "" if selected is None else str(selected)
    parts = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == chosen else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 (every value and label escaped above)


def unit_choices() -> list[tuple[int, str]]:
    """Active units of the regency (not external), in tree order."""
    return list(
        Unit.objects.exclude(kind=Unit.Kind.EXTERNAL)
        .filter(is_active=True)
        .order_by("path")
        .values_list("pk", "name")
    )


def region_choices() -> list[tuple[str, str]]:
    """Kecamatan and desa, each desa indented under its kecamatan."""
    rows = Region.objects.filter(level__in=[Region.Level.KECAMATAN, Region.Level.DESA]).values_list(
        "code", "name", "level", "kind"
    )
    choices = []
    for code, name, level, kind in rows:
        label = Region(code=code, name=name, level=level, kind=kind).label
        choices.append((code, f"\u2003{label}" if level == Region.Level.DESA else label))
    return choices
