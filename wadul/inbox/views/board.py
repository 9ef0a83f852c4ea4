"""The head's board: a unit's open cases by official and by age, this week's breaches,
first-response time and rating."""

from __future__ import annotations

import statistics
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wadul.cases import access
from wadul.cases.models import OPEN_STATUSES
from wadul.inbox import integrations
from wadul.organisation.models import Official, Unit

AGE_BUCKETS = [
    (_("under 1 day"), 0, 1),
    (_("1–3 days"), 1, 3),
    (_("3–7 days"), 3, 7),
    (_("7–30 days"), 7, 30),
    (_("over 30 days"), 30, None),
]
STATS_DAYS = 30
RATING_DAYS = 90


def _board_unit(request: HttpRequest) -> Unit:
    official: Official = request.user
    if official.role == Official.Role.STAFF:
        raise PermissionDenied
    chosen = request.GET.get("unit")
    if official.sees_all_cases:
        if chosen and chosen.isdigit():
            return get_object_or_404(Unit.objects.exclude(kind=Unit.Kind.EXTERNAL), pk=chosen)
        if official.unit is None:
            raise PermissionDenied
        return official.unit
    # A head: their unit or one of its sub-units.
    if chosen and chosen.isdigit():
        unit = get_object_or_404(Unit, pk=chosen)
        if not access.unit_covers(official, unit):
            raise PermissionDenied
        return unit
    return official.unit


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    unit = _board_unit(request)
    now = timezone.now()
    cases = access.visible_cases(request.user).filter(unit__path__startswith=unit.path)
    open_cases = cases.filter(status__in=OPEN_STATUSES)

    by_official = list(
        open_cases.values("assigned_to", "assigned_to__first_name", "assigned_to__username")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
    ages = open_cases.aggregate(
        **{
            f"age{index}": Count(
                "pk",
                filter=Q(created_at__lte=now - timedelta(days=low))
                & (Q(created_at__gt=now - timedelta(days=high)) if high else Q()),
            )
            for index, (_label, low, high) in enumerate(AGE_BUCKETS)
        }
    )
    by_age = [(label, ages[f"age{index}"]) for index, (label, _l, _h) in enumerate(AGE_BUCKETS)]

    local = timezone.localtime(now)
    week_start = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    breached = cases.filter(missed_targets_q(week_start, now)).select_related("assigned_to")

    since = now - timedelta(days=STATS_DAYS)
    stats = integrations.unit_stats(since, now, [unit]).get(unit.pk)
    answered = cases.filter(created_at__gte=since, first_response_at__isnull=False).values_list(
        "created_at", "first_response_at"
    )[:20000]
    minutes = [(first - created).total_seconds() / 60 for created, first in answered]
    rating = cases.filter(
        rating__isnull=False, resolved_at__gte=now - timedelta(days=RATING_DAYS)
    ).aggregate(average=Avg("rating"), count=Count("pk"))

    context = {
        "section": "board",
        "unit": unit,
        "units": _unit_choices(request.user),
        "open_total": sum(row["count"] for row in by_official),
        "by_official": by_official,
        "by_age": by_age,
        "breach_count": breached.count(),
        "breached": breached.order_by("-created_at")[:20],
        "week_start": week_start,
        "median_clock_minutes": statistics.median(minutes) if minutes else None,
        "answered_count": len(minutes),
        "stats": stats,
        "rating": rating,
        "stats_days": STATS_DAYS,
        "rating_days": RATING_DAYS,
    }
    return render(request, "inbox/board.html", context)


def missed_targets_q(since, now) -> Q:
    """Cases whose first-response or resolution target fell due in [since, now) and was
    missed (answered/resolved late, or not at all)."""
    first = Q(first_response_due_at__gte=since, first_response_due_at__lt=now) & (
        Q(first_response_at__isnull=True) | Q(first_response_at__gt=F("first_response_due_at"))
    )
    resolution = Q(resolution_due_at__gte=since, resolution_due_at__lt=now) & (
        Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("resolution_due_at"))
    )
    return first | resolution


def _unit_choices(official: Official):
    if official.sees_all_cases:
        return Unit.objects.exclude(kind=Unit.Kind.EXTERNAL).filter(is_active=True)
    return official.unit.subtree().filter(is_active=True)
