"""`<option>` lists built in Python: Django's per-option widget templates cost more than the
rest of the case list together once a select has a few hundred choices (every desa)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


def grouped_unit_options(exclude: int | None = None) -> SafeString:
    """The unit picker's options, grouped: each agency with its divisions (OPD → bidang),
    each kecamatan with its desa/kelurahan, every desa labelled with its kecamatan (there are
    two Desa Tamansari); agencies without divisions share one group."""
    rows = list(
        Unit.objects.exclude(kind=Unit.Kind.EXTERNAL)
        .filter(is_active=True)
        .order_by("path")
        .values_list("pk", "name", "kind", "path", "parent_id")
    )
    names = {pk: name for pk, name, _kind, _path, _parent in rows}
    roots = {pk for pk, _name, _kind, _path, parent in rows if parent is None}
    groups: dict[int, list[tuple[int, str]]] = {}
    top: list[tuple[int, str]] = []
    for pk, name, kind, path, parent in rows:
        ids = Unit.path_ids(path)
        if parent is None:
            top.append((pk, name))
            continue
        head = ids[1] if ids[0] in roots and len(ids) > 1 else ids[0]
        label = name
        if kind == Unit.Kind.DESA and parent in names:
            label = f"{name} · {names[parent].removeprefix('Kecamatan ')}"
        groups.setdefault(head, []).append((pk, label))
    singles = [
        choice for head, members in groups.items() if len(members) == 1 for choice in members
    ]
    parts = [options([c for c in top if c[0] != exclude])]
    if singles:
        parts.append(_group(_("Agencies"), [c for c in singles if c[0] != exclude]))
    for head, members in groups.items():
        if len(members) > 1:
            parts.append(_group(names[head], [c for c in members if c[0] != exclude]))
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped parts)


def _group(label: str, choices: list[tuple[int, str]]) -> str:
    return f'<optgroup label="{escape(label)}">{options(choices)}</optgroup>'


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
