"""Administrators see alerts and flagged deliveries (unknown numbers); nobody else does."""

from __future__ import annotations

import pytest
from django.core.checks import Warning as CheckWarning

from wadul import testing
from wadul.organisation.models import Official
from wadul.whatsapp import checks
from wadul.whatsapp.models import Alert, WebhookDelivery
from wadul.whatsapp.testing import post_webhook
from wadul.whatsapp.webhook import processor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return testing.create_official(
        "root", unit=None, role=Official.Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def unknown_number_delivery(client, unit_a):
    post_webhook(client, "inbound_text_unknown_number")
    while processor.process_next():
        pass
    return WebhookDelivery.objects.get()


def test_admins_see_alerts_and_deliveries_for_unknown_numbers(
    client, admin_user, unknown_number_delivery
):
    testing.login(client, admin_user)
    alerts = client.get("/admin/whatsapp/alert/")
    assert alerts.status_code == 200
    assert "999999999999" in alerts.content.decode()
    flagged = client.get("/admin/whatsapp/webhookdelivery/?unknown_number__exact=1")
    assert flagged.status_code == 200
    assert f">{unknown_number_delivery.pk}<" in flagged.content.decode()
    detail = client.get(f"/admin/whatsapp/webhookdelivery/{unknown_number_delivery.pk}/change/")
    assert "wamid.UNKNOWNNUM1" in detail.content.decode()


def test_admins_can_resolve_alerts_and_replay_deliveries(
    client, admin_user, unknown_number_delivery
):
    testing.login(client, admin_user)
    alert = Alert.objects.get()
    client.post(
        "/admin/whatsapp/alert/",
        {"action": "mark_resolved", "_selected_action": [alert.pk]},
    )
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    client.post(
        "/admin/whatsapp/webhookdelivery/",
        {"action": "replay_selected", "_selected_action": [unknown_number_delivery.pk]},
    )
    unknown_number_delivery.refresh_from_db()
    assert unknown_number_delivery.state == WebhookDelivery.State.PENDING


def test_staff_officials_are_refused(client, official_a, unknown_number_delivery):
    client.force_login(official_a)
    response = client.get("/admin/whatsapp/alert/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_system_check_names_what_is_missing(settings):
    settings.WHATSAPP_APP_SECRET = ""
    settings.WHATSAPP_TEMPLATES = {"answer": {"id": "wadul_jawaban"}}
    messages = checks.check_settings()
    texts = [m.msg for m in messages]
    assert any("WHATSAPP_APP_SECRET" in t for t in texts)
    assert any("'rating_request'" in t for t in texts)
    assert all(isinstance(m, CheckWarning) for m in messages)


def test_the_system_check_is_quiet_when_configured():
    assert checks.check_settings() == []
