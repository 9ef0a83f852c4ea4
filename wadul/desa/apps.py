from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesaConfig(AppConfig):
    name = "wadul.desa"
    label = "desa"
    verbose_name = _("Village services (Smart Kampung)")

    def ready(self) -> None:
        from wadul.cases import events, kinds
        from wadul.cases.events import case_event_committed
        from wadul.core.schedule import every_minute
        from wadul.desa import kind, notices, tasks

        kinds.register(kind.VILLAGE_LETTER)
        events.EXTRA_KINDS.update(kind.EVENT_LABELS)
        case_event_committed.connect(notices.on_case_event, dispatch_uid="desa_notices")
        every_minute(tasks.delete_expired_photos)
