"""How often officials overrode the router: per month, overall and per unit type.

A case counts once, by the router's first decision on it (with a unit type) in the period.
It was overridden when an official (not the router) later assigned, transferred or referred it
to a unit that handles another unit type here (the reverse of `UnitTypeMapping`, as when the
operators' decisions become training examples, `training.label_for_unit`). Accepting the
router's suggestion, or passing the case to a colleague or sub-unit of the same unit, is not
an override. Falling rates mean the retrained router agrees more with the operators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from wadul.cases.models import CaseEvent
from wadul.organisation.models import Unit
from wadul.routing.labels import UnitType
from wadul.routing.models import RoutingDecision, Territorial, UnitTypeMapping

E = CaseEvent.Kind


@dataclass
class OverrideCount:
    label: str
    decisions: int = 0
    overridden: int = 0

    @property
    def label_name(self) -> str:
        return str(UnitType(self.label).label) if self.label in UnitType.values else self.label

    @property
    def rate(self) -> float | None:
        return self.overridden / self.decisions if self.decisions else None


@dataclass
class Overrides:
    total: OverrideCount
    by_label: list[OverrideCount] = field(default_factory=list)


def overrides(start: datetime, end: datetime) -> Overrides:
    """Router decisions in [start, end) and how many an official overrode, overall and per
    the router's unit type (most overridden first)."""
    first: dict[int, str] = {}
    decisions = (
        RoutingDecision.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(label="")
        .order_by("case_id", "created_at", "pk")
        .values_list("case_id", "label")
    )
    for case_id, label in decisions:
        first.setdefault(case_id, label)
    chosen: dict[int, int] = {}
    events = (
        CaseEvent.objects.filter(
            case_id__in=list(first),
            kind__in=[E.ASSIGNED, E.TRANSFERRED, E.REFERRED],
            actor__isnull=False,
            to_unit__isnull=False,
        )
        .order_by("at", "pk")
        .values_list("case_id", "to_unit_id")
    )
    for case_id, unit_id in events:
        chosen[case_id] = unit_id  # the last official decision stands
    labels_of = _UnitLabels()
    total = OverrideCount("")
    per_label: dict[str, OverrideCount] = {}
    for case_id, label in first.items():
        row = per_label.setdefault(label, OverrideCount(label))
        overridden = case_id in chosen and label not in labels_of(chosen[case_id])
        for count in (total, row):
            count.decisions += 1
            count.overridden += overridden
    rows = sorted(per_label.values(), key=lambda r: (-r.overridden, -r.decisions, r.label))
    return Overrides(total=total, by_label=rows)


class _UnitLabels:
    """Unit id → the unit types it handles here: its own mappings or its nearest mapped
    ancestor's, and for a kecamatan or desa office the territorial types. Loaded once."""

    def __init__(self) -> None:
        self.by_unit: dict[int, set[str]] = defaultdict(set)
        self.territorial: dict[str, set[str]] = defaultdict(set)
        for label, unit_id, territorial in UnitTypeMapping.objects.values_list(
            "label", "unit_id", "territorial"
        ):
            if unit_id:
                self.by_unit[unit_id].add(label)
            if territorial:
                self.territorial[territorial].add(label)
        self.units = {u.pk: u for u in Unit.objects.only("pk", "parent_id", "kind")}
        self.cache: dict[int, set[str]] = {}

    def __call__(self, unit_id: int) -> set[str]:
        if unit_id not in self.cache:
            self.cache[unit_id] = self._labels(unit_id)
        return self.cache[unit_id]

    def _labels(self, unit_id: int) -> set[str]:
        unit = self.units.get(unit_id)
        wanted = {Unit.Kind.KECAMATAN: Territorial.KECAMATAN, Unit.Kind.DESA: Territorial.DESA}
        labels = set(self.territorial.get(wanted.get(unit.kind, ""), ())) if unit else set()
        node = unit
        while node is not None:
            if self.by_unit.get(node.pk):
                return labels | self.by_unit[node.pk]
            node = self.units.get(node.parent_id)
        return labels
