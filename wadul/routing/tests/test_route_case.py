"""New triage cases are routed by the listener and acted on through the case services."""

from __future__ import annotations

import pytest

from wadul import testing
from wadul.cases import services as case_services
from wadul.cases.models import CaseEvent, Message, Priority, Status, Via
from wadul.routing.models import Action, RoutingDecision
from wadul.routing.services import route_case, suggestions_for

pytestmark = pytest.mark.usefixtures("immediate_tasks")


@pytest.fixture
def ready(model, units):
    return units


def open_triage_case(text: str, **fields):
    return testing.create_case(unit=None, text=text, **fields)


def test_a_new_triage_case_is_assigned_by_the_system_when_sure(
    ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_triage_case("jalan depan SD Kemiren berlubang parah, sudah 2 bulan")
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.unit == ready["roads"]
    assert case.region.name == "Kemiren"
    event = case.events.get(kind=CaseEvent.Kind.ASSIGNED)
    assert event.actor is None and event.via == Via.SYSTEM
    decision = RoutingDecision.objects.get(case=case)
    assert decision.model_version == "test-seed-model"
    assert decision.action == Action.ASSIGN
    assert decision.label == "roads"
    assert decision.reasons[0]["kind"] == "words"


def test_an_outside_matter_is_referred_with_a_kind_explanation(
    ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_triage_case(
            "listrik di rumah saya padam sejak tadi malam, sudah lapor belum nyala"
        )
    case.refresh_from_db()
    assert case.status == Status.REFERRED
    assert case.referred_to == ready["pln"]
    sent = case.messages.get(direction=Message.Direction.OUTBOUND)
    assert "bukan kewenangan Pemerintah Kabupaten" in sent.text
    assert "Hubungi PLN 123." in sent.text
    assert case.tracking_number in sent.text


def test_an_emergency_is_urgent_and_the_citizen_is_told_to_call_112(
    ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_triage_case("tolong rumah tetangga kebakaran sekarang apinya besar, cepat!!")
    case.refresh_from_db()
    assert case.priority == Priority.URGENT
    assert case.status == Status.TRIAGE  # the command centre takes it from the top of the queue
    sent = case.messages.get(direction=Message.Direction.OUTBOUND)
    assert "112" in sent.text
    assert case.first_response_at is None  # an automatic notice is not an answer
    assert RoutingDecision.objects.get(case=case).is_emergency


def test_confident_spam_is_rejected(ready, settings, django_capture_on_commit_callbacks):
    settings.ROUTING_SPAM_REJECT_THRESHOLD = 0.5
    with django_capture_on_commit_callbacks(execute=True):
        case = open_triage_case("slot gacor hari ini maxwin, daftar sekarang bonus deposit 100%")
    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert RoutingDecision.objects.get(case=case).is_spam


def test_a_doubtful_case_stays_in_triage_with_suggestions(
    ready, settings, django_capture_on_commit_callbacks
):
    settings.ROUTING_CONFIDENCE_THRESHOLD = 0.999
    with django_capture_on_commit_callbacks(execute=True):
        case = open_triage_case("lampu PJU mati di Rogojampi")
    case.refresh_from_db()
    assert case.status == Status.TRIAGE and case.unit is None
    suggestions = suggestions_for(case)
    assert suggestions[0]["label"] == "street_lighting_drainage"
    assert suggestions[0]["unit_id"] == ready["lighting"].pk


def test_historical_imports_and_returns_to_triage_are_not_routed(
    ready, official_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), case_services.historical_import():
        old = open_triage_case("jalan depan SD Kemiren berlubang parah")
    assert not RoutingDecision.objects.filter(case=old).exists()
    with django_capture_on_commit_callbacks(execute=True):
        case = testing.create_case(unit=ready["pu"], text="jalan depan SD Kemiren berlubang parah")
        case_services.return_to_triage(case, reason="bukan kami", actor=official_a, via=Via.INBOX)
    assert not RoutingDecision.objects.filter(case=case).exists()


def test_a_case_the_operator_already_took_is_left_alone(ready, operator):
    case = open_triage_case("jalan depan SD Kemiren berlubang parah")
    case_services.assign(case, unit=ready["health"], actor=operator, via=Via.INBOX)
    assert route_case(case) is None
    case.refresh_from_db()
    assert case.unit == ready["health"]
