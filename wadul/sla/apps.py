import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wadul.core.processes import EXTRA_PROCESSES
from wadul.core.schedule import every_minute


class SlaConfig(AppConfig):
    name = "wadul.sla"
    label = "sla"
    verbose_name = _("Clock (SLA)")

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once apps are loaded.
        from wadul.cases import events
        from wadul.sla import services, signals  # noqa: F401 (connects receivers)
        from wadul.sla.tasks import sla_sweep

        if services.on_event not in events.RECORDED_HOOKS:
            events.RECORDED_HOOKS.append(services.on_event)

        every_minute(sla_sweep)
        # `make run` also runs the clock's scheduler, which enqueues the sweep every minute.
        scheduler = ("clock", [sys.executable, "-m", "wadul", "sla_scheduler"])
        if scheduler not in EXTRA_PROCESSES:
            EXTRA_PROCESSES.append(scheduler)
