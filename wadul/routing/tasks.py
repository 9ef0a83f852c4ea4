"""Background work: route a new triage case; retrain the classifier."""

from __future__ import annotations

from django_tasks import task

from wadul.cases.models import Case
from wadul.routing.services import route_case
from wadul.routing.training import train


@task()
def route_case_task(case_id: int) -> str:
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return "gone"
    decision = route_case(case)
    return decision.action if decision else "not in triage"


@task()
def train_task() -> str:
    return train().version
