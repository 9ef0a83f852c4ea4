from __future__ import annotations

from django.utils import timezone

from wadul import testing
from wadul.cases.models import CaseEvent
from wadul.core.bulk import bulk_insert


def test_bulk_insert_writes_every_column_and_sets_primary_keys(unit_a, official_a):
    case = testing.create_case(unit=unit_a)
    now = timezone.now()
    events = [
        CaseEvent(case=case, kind="sla_breached", via="system", at=now, data={"n": n, "x": None})
        for n in range(3)
    ] + [CaseEvent(case=case, kind="escalated", via="system", actor=official_a, at=now)]
    bulk_insert(events)
    assert all(e.pk for e in events)
    stored = {e.pk: e for e in CaseEvent.objects.filter(pk__in=[e.pk for e in events])}
    for event in events:
        row = stored[event.pk]
        assert (row.kind, row.data, row.actor_id, row.at) == (
            event.kind,
            event.data,
            event.actor_id,
            now,
        )
    assert stored[events[3].pk].data == {}
    bulk_insert([])
