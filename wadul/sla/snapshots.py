"""Stored figures for the statistics pages, recomputed in the background when stale.

A figure is named by a key ("unit_stats:2026-01:<unit ids>", "kecamatan:2026-01"); its value
is computed by a registered function (which calls the clock's metrics module) and stored in
`StatsSnapshot`. A page reads the stored value; if it is older than the allowed age, one
background task (claimed by compare-and-set on `refreshing_since`) recomputes it while the
page shows the previous value. Only a figure never computed before is computed in the
request itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from wadul.sla.models import StatsSnapshot

COMPUTERS: dict[str, Callable[..., Any]] = {}


def computer(name: str):
    """Register the function that computes figures of one kind."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        COMPUTERS[name] = fn
        return fn

    return register


def _key(kind: str, args: list[str]) -> str:
    return ":".join([kind, *args])


def get(kind: str, *args: str) -> tuple[Any, Any]:
    """(value, computed_at) of a figure; stale values trigger one background refresh."""
    key = _key(kind, list(args))
    found = StatsSnapshot.objects.filter(key=key).first()
    if found is None:
        return _store(kind, list(args)), timezone.now()
    now = timezone.now()
    if found.computed_at < now - timedelta(seconds=settings.PORTAL_STATS_MAX_AGE):
        _request_refresh(found, kind, list(args), now)
    return found.data, found.computed_at


def _request_refresh(found: StatsSnapshot, kind: str, args: list[str], now) -> None:
    # A refresh that has run for longer than a max age is taken as lost and claimed again.
    lost = now - timedelta(seconds=settings.PORTAL_STATS_MAX_AGE)
    claimed = (
        StatsSnapshot.objects.filter(pk=found.pk)
        .filter(Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=lost))
        .update(refreshing_since=now)
    )
    if claimed:
        transaction.on_commit(lambda: refresh.enqueue(kind, args))


def _store(kind: str, args: list[str]) -> Any:
    value = COMPUTERS[kind](*args)
    key = _key(kind, args)
    fields = {"data": value, "computed_at": timezone.now(), "refreshing_since": None}
    try:
        with transaction.atomic():
            StatsSnapshot.objects.update_or_create(key=key, defaults=fields)
    except IntegrityError:  # computed at the same moment by another request
        pass
    return value


@task()
def refresh(kind: str, args: list[str]) -> None:
    """Recompute one stored figure (background)."""
    _store(kind, args)


def refresh_all_stale() -> int:
    """Recompute every stale figure now (for a cron or the command line)."""
    limit = timezone.now() - timedelta(seconds=settings.PORTAL_STATS_MAX_AGE)
    done = 0
    for key in StatsSnapshot.objects.filter(computed_at__lt=limit).values_list("key", flat=True):
        kind, *args = key.split(":")
        if kind in COMPUTERS:
            _store(kind, args)
            done += 1
    return done
