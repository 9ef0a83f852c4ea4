from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "wadul.whatsapp.relay"
    label = "relay"
    verbose_name = _("WhatsApp relay for officials")

    def ready(self) -> None:
        # Imported here: models may be imported only once every app is loaded.
        from wadul.cases.events import case_event_committed
        from wadul.core.schedule import every_minute
        from wadul.privacy.monitoring import ALERT_NOTIFIERS
        from wadul.sla.notify import NOTIFIERS
        from wadul.whatsapp.relay import services
        from wadul.whatsapp.relay.tasks import daily_summary, send_held_follow_ups

        NOTIFIERS["whatsapp"] = services.notify_official
        ALERT_NOTIFIERS["whatsapp"] = services.notify_dpo
        case_event_committed.connect(services.on_case_event, dispatch_uid="relay_notify")
        every_minute(daily_summary, send_held_follow_ups)
