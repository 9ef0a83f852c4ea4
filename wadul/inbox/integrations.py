"""What the inbox borrows from apps that may not be installed yet (routing, clock).

Each function imports its app lazily and returns an empty answer when the app is absent,
so the inbox works on its own and picks the feature up as soon as the app is installed.
Nothing here invents data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps

from wadul.cases.models import Case
from wadul.organisation.models import Official, Unit


@dataclass(frozen=True)
class UnitSuggestion:
    """The router's guess of where a case belongs."""

    unit: Unit
    score: float | None = None
    reason: str = ""


def _attr(item: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(item, dict) and name in item:
            return item[name]
        if hasattr(item, name):
            return getattr(item, name)
    return default


def suggestions_for(case: Case, limit: int = 3) -> list[UnitSuggestion]:
    """The router's top unit suggestions for a case in triage (`wadul.routing`)."""
    if not apps.is_installed("wadul.routing"):
        return []
    try:
        from wadul.routing import suggestions_for as route  # type: ignore[attr-defined]
    except ImportError:
        try:
            from wadul.routing.services import suggestions_for as route  # type: ignore
        except ImportError:
            return []
    found: list[UnitSuggestion] = []
    for item in route(case)[:limit]:
        unit = _as_unit(item if isinstance(item, Unit) else _attr(item, "unit_id", "unit"))
        if unit is None:
            continue
        score = _attr(item, "confidence", "score", "probability")
        reason = str(_attr(item, "label_name", "reason", "label", default="") or "")
        found.append(UnitSuggestion(unit=unit, score=score, reason=reason))
    return found


def _as_unit(value: Any) -> Unit | None:
    # wadul.routing stores suggestions as JSON: {"unit_id": 12, "unit": "Dinas PU", ...}.
    if isinstance(value, Unit):
        return value
    if isinstance(value, int):
        return Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).filter(pk=value).first()
    return None


def duplicate_candidates(case: Case, limit: int = 5) -> list[Case]:
    """Open cases the router thinks are the same matter (`wadul.routing`)."""
    if not apps.is_installed("wadul.routing"):
        return []
    try:
        from wadul.routing import duplicate_candidates as find  # type: ignore[attr-defined]
    except ImportError:
        try:
            from wadul.routing.services import duplicate_candidates as find  # type: ignore
        except ImportError:
            return []
    cases: list[Case] = []
    for item in find(case)[:limit]:
        # wadul.routing answers DuplicateSuggestion rows: `candidate` is the other case.
        candidate = item if isinstance(item, Case) else _attr(item, "candidate", "case")
        if isinstance(candidate, Case) and candidate.pk != case.pk:
            cases.append(candidate)
    return cases


def unit_stats(start: datetime, end: datetime, units: list[Unit]) -> dict[int, Any]:
    """The clock's statistics per unit id (`wadul.sla.metrics.unit_stats`), or {}."""
    if not apps.is_installed("wadul.sla"):
        return {}
    try:
        from wadul.sla.metrics import unit_stats as stats  # type: ignore
    except ImportError:
        return {}
    return {row.unit_id: row for row in stats(start, end, units=units)}


def notifications_for(official: Official):
    """The clock's notifications to `official` (`wadul.sla`), newest first, or None."""
    if not apps.is_installed("wadul.sla"):
        return None
    from wadul.sla.models import Notification

    return (
        Notification.objects.filter(recipient=official)
        .select_related("case")
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(official: Official, cap: int) -> int:
    """How many of `official`'s notifications are unread, counting no further than `cap`
    (the badge says "99+"), so a supervisor with thousands pays for a hundred index rows."""
    if not apps.is_installed("wadul.sla"):
        return 0
    from wadul.sla.models import Notification

    # No ordering: a count needs none, and with it the limit would wait for a sort.
    unread = Notification.objects.filter(recipient=official, read_at__isnull=True).order_by()
    return unread[:cap].count()


def newest_unread_notification(official: Official) -> int | None:
    """The id of `official`'s newest unread notification, if any."""
    if not apps.is_installed("wadul.sla"):
        return None
    from wadul.sla.models import Notification

    unread = Notification.objects.filter(recipient=official, read_at__isnull=True)
    return unread.order_by("-pk").values_list("pk", flat=True).first()


def mark_notifications_read(official: Official, up_to: int | None) -> int:
    """`wadul.sla.services.mark_notifications_read`, or nothing to mark."""
    if not apps.is_installed("wadul.sla"):
        return 0
    from wadul.sla.services import mark_notifications_read as mark

    return mark(official, up_to=up_to)
