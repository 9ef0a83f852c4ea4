"""Routing's own state: decisions, duplicate suggestions. Case state changes only through
`wadul.cases.services` (actor None, via system, for what the router does by itself)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from wadul.cases import services as case_services
from wadul.cases.models import Case, Message, Priority, Status, Via
from wadul.core.texts import render_text
from wadul.organisation.models import Official
from wadul.routing import duplicates
from wadul.routing.models import Action, DuplicateSuggestion, RoutingDecision
from wadul.routing.router import Decision, route_text

log = logging.getLogger(__name__)


def case_text(case: Case) -> str:
    """What the citizen said when opening the case (description, else first message)."""
    if case.description.strip():
        return case.description
    first = case.messages.filter(direction=Message.Direction.INBOUND).order_by("pk").first()
    return first.text if first else ""


def route_case(case: Case) -> RoutingDecision | None:
    """Decide, record, and act on a case still waiting in triage. Returns the decision, or
    None when someone already took the case out of triage."""
    case.refresh_from_db()
    if case.status != Status.TRIAGE or case.unit_id is not None:
        return None
    decision = route_text(case_text(case), case.latitude, case.longitude)
    with transaction.atomic():
        record = _record(case, decision)
        if decision.place is not None and case.region_id is None:
            case_services.set_location(
                case, region=decision.place.region, actor=None, via=Via.SYSTEM
            )
        try:
            _act(case, decision)
        except case_services.CaseError as exc:
            # Someone acted on the case meanwhile: their decision stands.
            log.info("routing of %s not applied: %s", case, exc)
    if case.status in (Status.TRIAGE, Status.ASSIGNED):
        duplicates.find_duplicates(case)
    return record


def _record(case: Case, decision: Decision) -> RoutingDecision:
    return RoutingDecision.objects.create(
        case=case,
        model_version=decision.model_version,
        label=decision.label,
        unit=decision.unit,
        confidence=decision.confidence,
        intent=decision.intent.kind if decision.intent else "",
        action=decision.action,
        is_emergency=decision.is_emergency,
        is_spam=decision.is_spam,
        is_outside=decision.is_outside,
        region=decision.place.region if decision.place else None,
        reasons=decision.reasons,
        suggestions=[s.as_dict() for s in decision.suggestions],
    )


def _act(case: Case, decision: Decision) -> None:
    if decision.action == Action.ASSIGN:
        case_services.assign(case, unit=decision.unit, actor=None, via=Via.SYSTEM)
    elif decision.action == Action.REFER:
        note = render_text(
            "routing/referral.txt",
            fold=False,
            case=case,
            institution=decision.unit,
            referral=decision.unit.referral_text,
        )
        case_services.refer_outside(
            case, institution=decision.unit, note=note, actor=None, via=Via.SYSTEM
        )
    elif decision.action == Action.EMERGENCY:
        # Urgent, the citizen told at once to call 112; the operator (command centre)
        # takes it from the top of the triage queue.
        case_services.set_priority(case, priority=Priority.URGENT, actor=None, via=Via.SYSTEM)
        # The conversation's acknowledgement may have given the 112 advice first already.
        told = case.messages.filter(direction=Message.Direction.OUTBOUND, text__contains="112")
        if not told.exists():
            text = render_text("routing/emergency.txt", fold=False, case=case)
            case_services.notify_citizen(case, text=text, via=Via.SYSTEM)
    elif decision.action == Action.REJECT:
        case_services.reject(
            case,
            reason=f"spam ({decision.confidence:.0%}, {decision.model_version})",
            actor=None,
            via=Via.SYSTEM,
        )


# --- for the operator ------------------------------------------------------------------------


def latest_decision(case: Case) -> RoutingDecision | None:
    return case.routing_decisions.order_by("-created_at", "-pk").first()


def suggestions_for(case: Case) -> list[dict]:
    """The router's top suggestions for a case (label, unit, confidence), best first."""
    decision = latest_decision(case)
    return list(decision.suggestions) if decision else []


def duplicate_candidates(case: Case) -> list[DuplicateSuggestion]:
    """Open cases this one likely duplicates, most similar first."""
    return list(
        case.duplicate_suggestions.filter(state=DuplicateSuggestion.State.OPEN)
        .select_related("candidate")
        .order_by("-score")
    )


@transaction.atomic
def merge_duplicate(suggestion: DuplicateSuggestion, *, actor: Official, via: str) -> Case:
    """Merge the suggested case into the older one; its reporter then follows the survivor."""
    case_services.mark_duplicate(suggestion.case, of=suggestion.candidate, actor=actor, via=via)
    now = timezone.now()
    DuplicateSuggestion.objects.filter(pk=suggestion.pk).update(
        state=DuplicateSuggestion.State.MERGED, decided_by=actor, decided_at=now
    )
    DuplicateSuggestion.objects.filter(
        case=suggestion.case, state=DuplicateSuggestion.State.OPEN
    ).update(state=DuplicateSuggestion.State.DISMISSED, decided_by=actor, decided_at=now)
    suggestion.refresh_from_db()
    return suggestion.case


@transaction.atomic
def dismiss_duplicate(suggestion: DuplicateSuggestion, *, actor: Official) -> None:
    DuplicateSuggestion.objects.filter(pk=suggestion.pk).update(
        state=DuplicateSuggestion.State.DISMISSED, decided_by=actor, decided_at=timezone.now()
    )
