"""An operator's correction changes the next trained model's decision on similar texts."""

from __future__ import annotations

from wadul import testing
from wadul.cases import services as case_services
from wadul.cases.models import Via
from wadul.routing import training
from wadul.routing.models import Action, RoutingModel
from wadul.routing.router import route_text

TEXT = "Kabel fiber optik provider internet menjuntai rendah melintang di gang kampung Genteng"
SIMILAR = "kabel fiber optik provider menjuntai rendah di gang kampung, bahaya buat pemotor"


def test_an_operator_transfer_changes_the_next_models_decision(units, operator, official_a):
    first = training.train()
    before = route_text(SIMILAR)
    # The seed corpus has no such case: the model does not send it to Satpol PP on its own
    # (another unit type, or Satpol PP's only as a doubtful guess for the operator).
    assert before.label != "public_order" or before.action == Action.TRIAGE
    assert before.model_version == first.version

    case = testing.create_case(unit=None, text=TEXT)
    case_services.assign(case, unit=units["roads"], actor=operator, via=Via.INBOX)
    case_services.transfer(
        case,
        to_unit=units["satpol"],
        reason="kabel liar: penertiban",
        actor=official_a,
        via=Via.INBOX,
    )
    examples = training.operator_examples()
    assert [(e.label, e.source) for e in examples] == [("public_order", case.tracking_number)]

    second = training.train()
    assert second.version != first.version and second.operator_examples == 1
    assert RoutingModel.objects.get(is_active=True) == second
    after = route_text(SIMILAR)
    assert after.model_version == second.version
    assert after.label == "public_order"
    assert after.unit == units["satpol"]
    assert after.action == Action.ASSIGN
    neighbour = next(r for r in after.reasons if r["kind"] == "neighbour")
    assert neighbour["case"] == case.tracking_number


def test_only_officials_decisions_count_and_the_last_one_wins(units, operator):
    routed = testing.create_case(unit=None, text="jalan berlubang")
    case_services.assign(routed, unit=units["roads"], actor=None, via=Via.SYSTEM)
    referred = testing.create_case(unit=None, text="tanah saya diserobot tetangga")
    case_services.refer_outside(referred, institution=units["bpn"], actor=operator, via=Via.INBOX)
    territorial = testing.create_case(unit=None, text="surat ahli waris di kecamatan lama")
    case_services.assign(territorial, unit=units["kec_genteng"], actor=operator, via=Via.INBOX)
    labels = {e.source: e.label for e in training.operator_examples()}
    assert labels == {
        referred.tracking_number: "ext_land",
        territorial.tracking_number: "kecamatan_service",
    }
