"""Route every case that enters triage when it is opened (central number, web form)."""

from __future__ import annotations

from django.dispatch import receiver

from wadul.cases.events import case_event_committed
from wadul.cases.models import CaseEvent, Status
from wadul.routing.tasks import route_case_task


@receiver(case_event_committed, dispatch_uid="routing.route_new_triage_cases")
def route_new_triage_case(sender, event: CaseEvent, historical: bool, **kwargs) -> None:
    # Only the triage right after opening: a unit returning a case to triage has already
    # seen it, and the operator decides then. Historical imports route nothing.
    if historical or event.kind != CaseEvent.Kind.TRIAGED:
        return
    if event.from_status != Status.RECEIVED:
        return
    route_case_task.enqueue(event.case_id)
