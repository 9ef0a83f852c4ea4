"""The retention schedule (jadwal retensi arsip): what personal data is kept how long.

Each app registers the rules for the records it owns (`register` in its AppConfig.ready()),
so this low layer knows none of them. A rule says how many days a record is kept (the
default, overridable in settings.RETENTION_DAYS = {"rule name": days}) and processes one
batch of what is older than the cutoff: removes or anonymises at most `limit` records and
returns how many. The runner (`wadul retention_run`) calls each batch in its own
transaction until a batch comes back empty, so a run interrupted half-way leaves every
record untouched or fully processed, and the next run completes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    default_days: int
    # (cutoff, limit) → how many records this batch removed or anonymised.
    process: Callable[[datetime, int], int]
    # cutoff → how many records are due (for a dry run).
    count_due: Callable[[datetime], int]

    @property
    def days(self) -> int:
        return int(getattr(settings, "RETENTION_DAYS", {}).get(self.name, self.default_days))

    def cutoff(self, now: datetime | None = None) -> datetime:
        return (now or timezone.now()) - timedelta(days=self.days)


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    RULES[rule.name] = rule
    return rule


def delete_batch(queryset, limit: int) -> int:
    """Delete the oldest `limit` records of `queryset` (by primary key); how many went."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])
    queryset.model.objects.filter(pk__in=ids).delete()
    return len(ids)


def run(
    *, dry_run: bool = False, batch_size: int = 500, now: datetime | None = None
) -> dict[str, int]:
    """Apply every rule; returns rule name → records processed (or due, in a dry run)."""
    results: dict[str, int] = {}
    for name, rule in sorted(RULES.items()):
        cutoff = rule.cutoff(now)
        if dry_run:
            results[name] = rule.count_due(cutoff)
            continue
        done = 0
        while True:
            with transaction.atomic():
                count = rule.process(cutoff, batch_size)
            done += count
            if count < batch_size:
                break
        results[name] = done
    return results
