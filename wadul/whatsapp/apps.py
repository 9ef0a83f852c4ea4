from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhatsAppConfig(AppConfig):
    name = "wadul.whatsapp"
    label = "whatsapp"
    verbose_name = _("WhatsApp")

    def ready(self) -> None:
        from wadul.cases import services
        from wadul.cases.events import case_event_committed
        from wadul.cases.models import Channel
        from wadul.core.schedule import every_minute
        from wadul.whatsapp import checks, outbox, signals, tasks

        services.DELIVERERS[Channel.WHATSAPP] = outbox.deliver_case_message
        services.DELIVERERS[Channel.WEB] = outbox.deliver_case_message
        case_event_committed.connect(signals.on_case_event, dispatch_uid="whatsapp_rating")
        checks.register()
        # A stored delivery whose nudge failed (deliveries._kick) is processed within a
        # minute all the same; so is an outbox row whose sender was killed mid-run.
        every_minute(tasks.process_webhooks, tasks.send_outbox)
