"""The access log's alerts are pushed to the DPO: a row in their inbox notifications (with
the unread badge) and a WhatsApp message to their own number, once a day per pattern."""

from __future__ import annotations

from wadul import testing
from wadul.cases.models import Visibility
from wadul.privacy import monitoring, services
from wadul.privacy.models import AccessLog, DpoAlert
from wadul.whatsapp.models import OutboundMessage


def _confidential_reads(official, unit, count: int) -> None:
    for _ in range(count):
        case = testing.create_case(unit=unit, visibility=Visibility.CONFIDENTIAL)
        services.log_access(official, case, AccessLog.Surface.CASE_PAGE)


def test_an_alert_reaches_the_dpos_notifications_and_whatsapp_once(
    client, unit_a, operator, official_a, dpo, regency, settings
):
    settings.PRIVACY_ALERT_CONFIDENTIAL_OUTSIDE = 3
    dpo.whatsapp_number = "6281100000999"
    dpo.save(update_fields=["whatsapp_number"])
    testing.create_number(regency)
    _confidential_reads(operator, unit_a, 3)

    [alert] = monitoring.push_alerts()
    assert alert.recipient == dpo and alert.official == operator
    assert alert.kind == "confidential_outside" and alert.count == 3
    [sent] = OutboundMessage.objects.filter(recipient="6281100000999")
    assert "Olga" in sent.content["text"] and "data pribadi" in sent.content["text"]
    # Not the official the alert is about, nor anyone without the DPO's permission.
    assert not DpoAlert.objects.exclude(recipient=dpo).exists()

    # Still going on, the same day: not pushed again.
    _confidential_reads(operator, unit_a, 2)
    assert monitoring.push_alerts() == []
    assert OutboundMessage.objects.filter(recipient="6281100000999").count() == 1

    testing.login(client, dpo)
    page = client.get("/inbox/notifikasi/")
    assert alert.text in page.content.decode()
    client.post("/inbox/notifikasi/baca/", {"up_to": ""})
    alert.refresh_from_db()
    assert alert.read_at is not None


def test_the_unread_badge_counts_the_dpos_alerts(dpo, operator, unit_a, settings):
    from wadul.inbox import integrations

    settings.PRIVACY_ALERT_CONFIDENTIAL_OUTSIDE = 1
    _confidential_reads(operator, unit_a, 1)
    assert integrations.unread_notification_count(dpo, cap=100) == 0
    monitoring.push_alerts()
    assert integrations.unread_notification_count(dpo, cap=100) == 1


def test_the_scheduled_task_pushes_the_alerts(dpo, operator, unit_a, settings):
    from wadul.core.schedule import EVERY_MINUTE
    from wadul.privacy import tasks

    assert tasks.push_dpo_alerts in EVERY_MINUTE
    settings.PRIVACY_ALERT_CONFIDENTIAL_OUTSIDE = 1
    settings.PRIVACY_ALERT_PUSH_MINUTES = 1  # every minute: this one too
    _confidential_reads(operator, unit_a, 1)
    tasks.push_dpo_alerts.call()
    assert DpoAlert.objects.get().recipient == dpo
