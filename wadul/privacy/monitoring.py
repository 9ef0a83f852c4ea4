"""What the DPO reads from the access log: per case, per official, and unusual patterns.

Two patterns raise an alert (thresholds in settings, per 24 hours):
- one official opening many confidential cases outside their units
  (PRIVACY_ALERT_CONFIDENTIAL_OUTSIDE, default 5 cases);
- bulk exports: one official exporting the personal data of many cases
  (PRIVACY_ALERT_EXPORTS, default 20 cases).

`push_alerts` (every PRIVACY_ALERT_PUSH_MINUTES, default 10, through the scheduler) pushes
each new alert to every DPO: a `DpoAlert` row shown in their inbox notifications, and every
notifier in `ALERT_NOTIFIERS` (the WhatsApp relay: the DPO's own number). The same pattern of
the same official reaches a DPO once a day.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wadul.organisation.models import Official, Unit
from wadul.privacy.models import AccessLog, DpoAlert

log = logging.getLogger(__name__)

# name -> notifier(dpo, text): channels that carry an alert beyond the inbox (WhatsApp).
ALERT_NOTIFIERS: dict[str, Callable[[Official, str], None]] = {}


@dataclass(frozen=True)
class Alert:
    official: Official
    kind: str
    count: int
    text: str


def log_for_case(case_id: int) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(case_id=case_id).select_related("official", "case")


def log_for_official(official_id: int) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(official_id=official_id).select_related("official", "case")


def alerts(*, until: datetime | None = None, hours: int = 24) -> list[Alert]:
    until = until or timezone.now()
    window = AccessLog.objects.filter(at__gt=until - timedelta(hours=hours), at__lte=until)
    found = _confidential_outside(window) + _bulk_exports(window)
    return sorted(found, key=lambda alert: -alert.count)


def _confidential_outside(window: QuerySet[AccessLog]) -> list[Alert]:
    threshold = getattr(settings, "PRIVACY_ALERT_CONFIDENTIAL_OUTSIDE", 5)
    seen = window.filter(confidential=True).values_list("official_id", "case_id", "case_unit_id")
    paths = dict(Unit.objects.values_list("pk", "path"))
    officials = {
        o.pk: o
        for o in Official.objects.filter(pk__in={row[0] for row in seen}).select_related("unit")
    }
    outside: dict[int, set[int]] = defaultdict(set)
    for official_id, case_id, unit_id in seen:
        official = officials[official_id]
        home = official.unit.path if official.unit_id else None
        case_path = paths.get(unit_id) if unit_id else None
        if home is None or case_path is None or not case_path.startswith(home):
            outside[official_id].add(case_id)
    return [
        Alert(
            officials[official_id],
            "confidential_outside",
            len(cases),
            _("Opened %(count)s confidential cases outside their units in 24 hours.")
            % {"count": len(cases)},
        )
        for official_id, cases in outside.items()
        if len(cases) >= threshold
    ]


def _bulk_exports(window: QuerySet[AccessLog]) -> list[Alert]:
    threshold = getattr(settings, "PRIVACY_ALERT_EXPORTS", 20)
    counts = (
        window.filter(surface=AccessLog.Surface.EXPORT)
        .order_by()
        .values("official_id")
        .annotate(n=Count("case_id", distinct=True))
        .filter(n__gte=threshold)
    )
    officials = Official.objects.in_bulk([row["official_id"] for row in counts])
    return [
        Alert(
            officials[row["official_id"]],
            "bulk_exports",
            row["n"],
            _("Exported the personal data of %(count)s cases in 24 hours.") % {"count": row["n"]},
        )
        for row in counts
    ]


def people_seen_by(official: Official, since: datetime, until: datetime) -> QuerySet:
    """The cases an official opened (any surface) in a window: the breach drill's answer to
    "whose data did this account see"."""
    return AccessLog.objects.filter(official=official, at__gte=since, at__lte=until)


def dpos() -> QuerySet[Official]:
    """Who receives alerts: active officials given `privacy.act_as_dpo`, directly or by a
    group (superusers, who may open the page, are not pushed to)."""
    codename = "act_as_dpo"
    holds = Q(user_permissions__codename=codename) | Q(groups__permissions__codename=codename)
    return Official.objects.filter(holds, is_active=True).distinct()


def push_alerts(*, now: datetime | None = None) -> list[DpoAlert]:
    """Push the alerts of the last 24 hours that no DPO was told of today; returns the new rows."""
    now = now or timezone.now()
    found = alerts(until=now)
    if not found:
        return []
    day = timezone.localdate(now)
    pushed = []
    for dpo in dpos():
        for alert in found:
            name = alert.official.get_full_name() or alert.official.username
            text = f"{name}: {alert.text}"[:300]
            try:
                with transaction.atomic():
                    row = DpoAlert.objects.create(
                        recipient=dpo,
                        official=alert.official,
                        kind=alert.kind,
                        day=day,
                        count=alert.count,
                        text=text,
                    )
            except IntegrityError:  # already pushed today (or by a concurrent run)
                continue
            pushed.append(row)
            for channel, notifier in list(ALERT_NOTIFIERS.items()):
                try:
                    notifier(dpo, f"⚠️ Peringatan pelindungan data pribadi\n{text}")
                except Exception:
                    log.exception("alert notifier %s failed for DPO alert %s", channel, row.pk)
    return pushed


def unread_alerts(official: Official) -> QuerySet[DpoAlert]:
    return DpoAlert.objects.filter(recipient=official, read_at__isnull=True).order_by()


def recent_alerts(official: Official, limit: int = 20) -> list[DpoAlert]:
    return list(DpoAlert.objects.filter(recipient=official).select_related("official")[:limit])


def mark_alerts_read(official: Official) -> int:
    return unread_alerts(official).update(read_at=timezone.now())
