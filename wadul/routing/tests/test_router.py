"""route_text: the decision for one text, without writing anything."""

from __future__ import annotations

import pytest

from wadul.routing.models import Action, RoutingDecision, RoutingRule
from wadul.routing.router import clear_rule_cache, route_text


@pytest.fixture
def ready(model, units):
    return units


def test_a_clear_complaint_is_assigned_to_the_mapped_unit_with_reasons(ready):
    decision = route_text("jalan depan SD Kemiren berlubang parah, sudah 2 bulan")
    assert decision.label == "roads"
    assert decision.unit == ready["roads"]
    assert decision.action == Action.ASSIGN
    assert decision.confidence >= 0.6
    assert decision.model_version == "test-seed-model"
    kinds = {r["kind"] for r in decision.reasons}
    assert {"words", "place"} <= kinds
    assert decision.place.region.name == "Kemiren"
    assert not RoutingDecision.objects.exists()  # pure: nothing recorded


def test_an_outside_matter_is_referred_with_the_outside_flag(ready):
    decision = route_text("listrik di rumah saya padam sejak tadi malam, token sudah diisi")
    assert decision.label == "ext_electricity"
    assert decision.is_outside
    assert decision.unit == ready["pln"]
    assert decision.action == Action.REFER


def test_an_emergency_is_flagged_whatever_the_confidence(ready):
    decision = route_text("tolong cepat ada orang tenggelam di sungai barusan, belum ketemu")
    assert decision.is_emergency
    assert decision.action == Action.EMERGENCY


def test_spam_is_flagged_and_rejected_only_when_very_sure(ready, settings):
    text = "slot gacor hari ini maxwin, daftar sekarang bonus deposit 100%"
    settings.ROUTING_SPAM_REJECT_THRESHOLD = 0.0
    decision = route_text(text)
    assert decision.is_spam
    assert decision.action == Action.REJECT
    settings.ROUTING_SPAM_REJECT_THRESHOLD = 1.01
    assert route_text(text).action == Action.TRIAGE


def test_below_the_threshold_the_case_goes_to_triage_with_top_suggestions(ready, settings):
    settings.ROUTING_CONFIDENCE_THRESHOLD = 0.999
    decision = route_text("jalan depan SD Kemiren berlubang parah, sudah 2 bulan")
    assert decision.action == Action.TRIAGE
    assert decision.label == "roads"
    assert [s.label for s in decision.suggestions][0] == "roads"
    assert len(decision.suggestions) == 3
    assert decision.suggestions[0].unit == ready["roads"]
    assert any(r["kind"] == "threshold" for r in decision.reasons)


def test_a_message_without_a_matter_is_not_rejected_unless_very_sure(ready):
    decision = route_text("mohon ditindaklanjuti ya pak, terima kasih")
    assert decision.confidence < 0.9
    assert decision.action == Action.TRIAGE


def test_an_operator_rule_takes_precedence_with_its_reason(ready):
    text = "jalan depan SD Kemiren berlubang parah"
    RoutingRule.objects.create(phrases="sd kemiren\nsekolah kemiren", unit=ready["health"])
    decision = route_text(text)
    assert decision.unit == ready["health"]
    assert decision.confidence == 1.0
    assert decision.reasons[0]["kind"] == "rule"
    assert decision.reasons[0]["phrase"] == "sd kemiren"


def test_a_rule_can_name_a_unit_type_and_inactive_rules_do_not_count(ready):
    rule = RoutingRule.objects.create(phrases="jln", label="public_order", priority=5)
    decision = route_text("jln depan SD Kemiren berlubang")  # "jln" is normalised to "jalan"
    assert decision.unit == ready["satpol"]
    rule.is_active = False
    rule.save()

    clear_rule_cache()
    assert route_text("jln depan SD Kemiren berlubang").unit == ready["roads"]


def test_a_kecamatan_matter_goes_to_the_kecamatan_office_of_the_place(ready):
    decision = route_text(
        "Bagaimana cara mengurus surat keterangan ahli waris di kantor kecamatan Genteng?"
    )
    assert decision.label == "kecamatan_service"
    assert decision.unit == ready["kec_genteng"]


def test_a_desa_level_type_goes_to_the_desa_office_else_the_unit_above(ready):
    decision = route_text("Kepala desa Kemiren tidak transparan soal dana desa dan APBDes")
    assert decision.label == "village_affairs"
    assert decision.unit == ready["desa_kemiren"]
    elsewhere = route_text("Kepala desa tidak transparan soal dana desa dan APBDes")
    assert elsewhere.unit == ready["pu"]


def test_without_a_trained_model_everything_waits_for_the_operator(units):
    decision = route_text("jalan depan SD Kemiren berlubang parah")
    assert decision.action == Action.TRIAGE
    assert decision.model_version == ""
    assert any(r["kind"] == "model" for r in decision.reasons)


def test_the_request_kind_comes_first_and_is_part_of_the_decision(ready):
    decision = route_text("jalan depan SD Kemiren berlubang parah, sudah 2 bulan")
    assert decision.intent.kind == "complaint" and decision.intent.is_sure
    assert decision.as_dict()["intent"]["kind"] == "complaint"
    assert any(r["kind"] == "intent" for r in decision.reasons)


def test_a_sure_request_of_another_kind_goes_to_the_operator_not_to_a_unit(ready):
    decision = route_text("Saya mau minta surat keterangan domisili dari desa Kemiren")
    assert decision.intent.kind == "village_letter" and decision.intent.is_sure
    assert decision.unit is not None  # the classifier alone would have sent it there
    assert decision.action == Action.TRIAGE


def test_a_short_complaint_title_the_model_calls_spam_is_not_spam(ready):
    decision = route_text("Tanggul jebol")
    words = next(r for r in decision.reasons if r["kind"] == "words")
    assert words["label"] == "spam"  # what the classifier alone says
    assert not decision.is_spam and decision.label != "spam"
    assert decision.action != Action.REJECT
    assert any(r["kind"] == "not_spam" for r in decision.reasons)
