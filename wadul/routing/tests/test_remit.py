"""Each regency's remit: the owner of a contested topic, editable with immediate effect."""

from __future__ import annotations

import pytest

from wadul.routing.models import RemitRule
from wadul.routing.router import route_text

NOISE = "musik karaoke tetangga bising tiap malam sampai jam 2"


@pytest.fixture
def ready(model, units):
    return units


def test_the_topics_are_seeded_inactive_so_routing_is_unchanged_until_an_admin_decides(ready):
    noise = RemitRule.objects.get(topic="noise")
    assert not noise.is_active and "bising" in noise.phrase_list
    assert {"public_order", "environment_waste"} <= noise.contested_labels
    decision = route_text(NOISE)
    assert not any(r["kind"] == "remit" for r in decision.reasons)


def test_a_remit_edit_changes_the_next_decision_and_the_reason_names_the_rule(ready):
    noise = RemitRule.objects.get(topic="noise")
    noise.label, noise.is_active = "environment_waste", True
    noise.save()
    first = route_text(NOISE)
    assert first.label == "environment_waste" and first.unit == ready["dlh"]
    remit = next(r for r in first.reasons if r["kind"] == "remit")
    assert remit["rule"] == noise.pk and remit["phrase"] == "bising"
    assert f"#{noise.pk}" in remit["detail"] and "Kebisingan" in remit["detail"]

    # Another regency's convention, set by its admin: the very next message follows it.
    noise.label = "public_order"
    noise.save()
    second = route_text(NOISE)
    assert second.label == "public_order" and second.unit == ready["satpol"]
    mapping = next(r for r in second.reasons if r["kind"] == "mapping")
    assert "Satpol PP" in mapping["detail"]


def test_a_remit_rule_can_name_a_unit_directly(ready):
    RemitRule.objects.filter(topic="noise").update(
        label="public_order", unit=ready["bpbd"], is_active=True
    )
    assert route_text(NOISE).unit == ready["bpbd"]


def test_a_remit_rule_does_not_touch_types_outside_its_contest(ready):
    RemitRule.objects.filter(topic="noise").update(label="environment_waste", is_active=True)
    # "bising" in passing, but the matter is a house on fire: not a noise complaint.
    decision = route_text("tolong rumah tetangga kebakaran sekarang apinya besar, suaranya bising")
    assert decision.label != "environment_waste"
    assert not any(r["kind"] == "remit" for r in decision.reasons)


def test_a_remit_rule_for_every_type_still_leaves_emergencies_alone(ready):
    RemitRule.objects.filter(topic="noise").update(
        label="environment_waste", contested="", is_active=True
    )
    assert route_text(NOISE).label == "environment_waste"  # no contest: always
    decision = route_text("tolong cepat ada orang tenggelam di sungai, suaranya bising sekali")
    assert decision.is_emergency and decision.label == "emergency"
