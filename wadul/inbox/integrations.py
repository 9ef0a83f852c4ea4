"""What the inbox reads from the router and the clock, in the shapes its pages use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from wadul.cases.models import Case
from wadul.organisation.models import Official, Unit
from wadul.privacy import monitoring as privacy_monitoring
from wadul.routing import services as routing_services
from wadul.sla import metrics
from wadul.sla import services as clock
from wadul.sla.metrics import UnitStats
from wadul.sla.models import Notification


@dataclass(frozen=True)
class UnitSuggestion:
    """The router's guess of where a case belongs."""

    unit: Unit
    score: float | None = None
    reason: str = ""


def suggestions_for(case: Case, limit: int = 3) -> list[UnitSuggestion]:
    """The router's top unit suggestions for a case in triage."""
    found: list[UnitSuggestion] = []
    # Each is the JSON the router stores: {"unit_id": 12, "label_name": ..., "confidence": ...}.
    for item in routing_services.suggestions_for(case)[:limit]:
        unit = _as_unit(item.get("unit_id"))
        if unit is None:
            continue
        reason = str(item.get("label_name") or "")
        found.append(UnitSuggestion(unit=unit, score=item.get("confidence"), reason=reason))
    return found


def _as_unit(unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    return Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).filter(pk=unit_id).first()


def duplicate_candidates(case: Case, limit: int = 5) -> list[Case]:
    """Open cases the router thinks are the same matter."""
    suggestions = routing_services.duplicate_candidates(case)[:limit]
    return [s.candidate for s in suggestions if s.candidate_id != case.pk]


def unit_stats(start: datetime, end: datetime, units: list[Unit]) -> dict[int, UnitStats]:
    """The clock's statistics per unit id (`wadul.sla.metrics.unit_stats`)."""
    return {row.unit_id: row for row in metrics.unit_stats(start, end, units=units)}


def notifications_for(official: Official) -> QuerySet[Notification]:
    """The clock's notifications to `official`, newest first."""
    return (
        Notification.objects.filter(recipient=official)
        .select_related("case")
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(official: Official, cap: int) -> int:
    """How many of `official`'s notifications are unread, counting no further than `cap`
    (the badge says "99+"), so a supervisor with thousands pays for a hundred index rows."""
    # No ordering: a count needs none, and with it the limit would wait for a sort.
    unread = Notification.objects.filter(recipient=official, read_at__isnull=True).order_by()
    count = unread[:cap].count()
    # The DPO's alerts from the access log count too (a tiny table, one indexed count).
    return count + privacy_monitoring.unread_alerts(official)[: max(0, cap - count)].count()


def newest_unread_notification(official: Official) -> int | None:
    """The id of `official`'s newest unread notification, if any."""
    unread = Notification.objects.filter(recipient=official, read_at__isnull=True)
    return unread.order_by("-pk").values_list("pk", flat=True).first()


def mark_notifications_read(official: Official, up_to: int | None) -> int:
    """`wadul.sla.services.mark_notifications_read`, and the DPO's privacy alerts."""
    alerts = privacy_monitoring.mark_alerts_read(official)
    return clock.mark_notifications_read(official, up_to=up_to) + alerts


def privacy_alerts_for(official: Official) -> list:
    """The access log's alerts pushed to this official as DPO, newest first."""
    return privacy_monitoring.recent_alerts(official)
