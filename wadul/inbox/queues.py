"""The inbox queues: named slices of the cases an official may see.

Each queue is a filter on `access.visible_cases`; counts are capped (`COUNT_CAP`, shown
"99+") so that a queue of 200,000 cases costs no more to count than one of 100: the nav
says how much work there is at a glance, the list itself says the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wadul.cases import access, kinds
from wadul.cases.models import OPEN_STATUSES, Case, Status
from wadul.organisation.models import Official

# 100 rather than 1,000: counting up to a thousand rows of each big queue was a third of the
# list page's database time at a million cases (issue 7), for a number nobody reads exactly.
COUNT_CAP = 100
OPEN = sorted(OPEN_STATUSES)
# The clock is paused while waiting for the citizen.
RUNNING = sorted(OPEN_STATUSES - {Status.WAITING})
TRIAGE = [Status.RECEIVED, Status.TRIAGE]
# Stands in for "no deadline" so the nearest deadline is one comparable value on every
# database (SQLite's MIN() of several values is NULL as soon as one of them is).
NEVER = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class Queue:
    slug: str
    label: str
    count: int | None = None

    @property
    def count_text(self) -> str:
        if self.count is None:
            return ""
        return f"{COUNT_CAP - 1}+" if self.count >= COUNT_CAP else str(self.count)


def next_deadline() -> Least:
    """The nearest of a case's deadlines (`NEVER` when none is set): a first response not
    yet given, the next response, the resolution.

    Cases migration 0007 indexes exactly this expression over running cases
    (`case_running_next_due`), so "overdue" and "due soon" are one index range each instead
    of three OR-ed deadline scans; keep the two in step.
    """
    never = Value(NEVER)
    return Least(
        Coalesce(
            models.Case(When(first_response_at__isnull=True, then=F("first_response_due_at"))),
            never,
        ),
        Coalesce(F("next_response_due_at"), never),
        Coalesce(F("resolution_due_at"), never),
    )


def _running(cases: QuerySet[Case]) -> QuerySet[Case]:
    # One IN list equal to the partial index's condition, so PostgreSQL can use it.
    return cases.filter(status__in=RUNNING).alias(next_deadline=next_deadline())


def available(official: Official) -> list[tuple[str, str]]:
    """(slug, label) of the queues this official has, in nav order."""
    queues = [("mine", _("Mine"))]
    if official.sees_all_cases:
        queues.append(("unit", _("All open")))
    else:
        queues.append(("unit", _("My unit")))
    queues += [
        ("unassigned", _("Unassigned")),
        ("due_soon", _("Due soon")),
        ("overdue", _("Overdue")),
        ("waiting", _("Waiting for citizen")),
    ]
    if official.can_act_on_all_cases:
        queues.insert(0, ("triage", _("Triage")))
    # A queue per request kind with its own intake (letters, information requests …), where
    # the official's unit offers it.
    queues += [
        (f"{KIND_QUEUE}{kind.code}", str(kind.menu_title or kind.label))
        for kind in kinds.all_kinds()
        if kind.has_intake and (official.sees_all_cases or kind.offered_at(official.unit))
    ]
    queues.append(("all", _("All cases")))
    return queues


KIND_QUEUE = "jenis-"


def cases_in(
    slug: str,
    official: Official,
    now: datetime | None = None,
    visible: QuerySet[Case] | None = None,
) -> QuerySet[Case]:
    """The queue's cases; `visible` is `access.visible_cases(official)` if already at hand."""
    now = now or timezone.now()
    cases = access.visible_cases(official) if visible is None else visible
    if slug == "mine":
        return cases.filter(assigned_to=official, status__in=OPEN)
    if slug == "unit":
        return cases.filter(status__in=OPEN)
    if slug == "unassigned":
        return cases.filter(status__in=OPEN, assigned_to__isnull=True, unit__isnull=False)
    if slug == "due_soon":
        soon = now + timedelta(hours=settings.INBOX_DUE_SOON_HOURS)
        return _running(cases).filter(next_deadline__gte=now, next_deadline__lt=soon)
    if slug == "overdue":
        return _running(cases).filter(next_deadline__lt=now)
    if slug == "waiting":
        return cases.filter(status=Status.WAITING)
    if slug.startswith(KIND_QUEUE):
        return cases.filter(type=slug.removeprefix(KIND_QUEUE), status__in=OPEN)
    if slug == "triage":
        if not official.can_act_on_all_cases:
            return cases.none()
        return cases.filter(status__in=TRIAGE)
    return cases


def with_counts(official: Official, now: datetime | None = None) -> list[Queue]:
    now = now or timezone.now()
    visible = access.visible_cases(official)
    counted = [
        (slug, cases_in(slug, official, now, visible))
        for slug, _label in available(official)
        if slug != "all"
    ]
    counts = _capped_counts(dict(counted))
    return [Queue(slug, label, counts.get(slug)) for slug, label in available(official)]


def _capped_counts(querysets: dict[str, QuerySet[Case]]) -> dict[str, int]:
    """Each queryset's row count up to `COUNT_CAP`, all in one statement: the list page is
    drawn on every poll, and one round trip instead of seven is most of the counts' cost
    once each is an index range."""
    counts: dict[str, int] = {}
    parts: list[str] = []
    params: list[object] = []
    slugs: list[str] = []
    for slug, cases in querysets.items():
        capped = cases.order_by().values("pk")[:COUNT_CAP]
        try:
            sql, sql_params = capped.query.get_compiler(using=capped.db).as_sql()
        except EmptyResultSet:  # e.g. .none(): nothing to ask the database
            counts[slug] = 0
            continue
        # `sql` is Django's own compilation; every value in it stays a bound parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{len(parts)})")  # noqa: S608
        params.extend(sql_params)
        slugs.append(slug)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.update(zip(slugs, cursor.fetchone(), strict=True))
    return counts


def default_queue(official: Official) -> str:
    return "triage" if official.can_act_on_all_cases else "unit"
