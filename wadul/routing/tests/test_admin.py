"""The routing admin: rules, mappings, decisions, models (activate), duplicates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wadul import testing
from wadul.organisation.models import Official
from wadul.routing.models import RemitRule, RoutingModel, RoutingRule
from wadul.routing.router import route_text

PAGES = [
    "admin:routing_routingrule_changelist",
    "admin:routing_routingrule_add",
    "admin:routing_unittypemapping_changelist",
    "admin:routing_routingdecision_changelist",
    "admin:routing_routingmodel_changelist",
    "admin:routing_duplicatesuggestion_changelist",
    "admin:routing_regionboundary_changelist",
    "admin:routing_remitrule_changelist",
]


@pytest.fixture
def admin_user(regency):
    return testing.create_official(
        "root", unit=regency, role=Official.Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.mark.parametrize("name", PAGES)
def test_admin_pages_answer_in_indonesian(client, admin_user, name):
    testing.login(client, admin_user)
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_officials_without_admin_rights_are_refused(client, official_a, name):
    client.force_login(official_a)
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_operator_rule_is_written_in_the_admin(client, admin_user, units):
    testing.login(client, admin_user)
    response = client.post(
        reverse("admin:routing_routingrule_add"),
        {
            "phrases": "kabel provider",
            "label": "public_order",
            "unit": "",
            "priority": 3,
            "is_active": "on",
            "note": "",
            "created_at_0": "2025-01-01",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RoutingRule.objects.get().label == "public_order"


def test_activating_a_model_version_in_the_admin(client, admin_user, model):
    other = RoutingModel.objects.create(version="older", artifact=b"x", is_active=False)
    testing.login(client, admin_user)
    client.post(
        reverse("admin:routing_routingmodel_changelist"),
        {"action": "activate", "_selected_action": [other.pk]},
    )
    assert RoutingModel.objects.get(is_active=True) == other


def test_an_admin_sets_the_regencys_owner_of_noise_and_the_next_decision_follows(
    client, admin_user, model, units
):
    noise = RemitRule.objects.get(topic="noise")
    testing.login(client, admin_user)
    response = client.post(
        reverse("admin:routing_remitrule_change", args=[noise.pk]),
        {
            "topic": noise.topic,
            "name": noise.name,
            "phrases": noise.phrases,
            "contested": noise.contested,
            "label": "environment_waste",
            "unit": "",
            "is_active": "on",
            "note": "Perbup: kebisingan usaha diawasi DLH",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = route_text("suara musik kafe bising tiap malam sampai jam 2")
    assert decision.unit == units["dlh"]
    assert any(r["kind"] == "remit" and r["rule"] == noise.pk for r in decision.reasons)
