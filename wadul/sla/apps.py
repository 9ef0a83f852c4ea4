import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "wadul.sla"
    label = "sla"
    verbose_name = _("Clock (SLA)")

    def ready(self) -> None:
        from wadul.cases import events
        from wadul.core.management.commands import serve_demo
        from wadul.sla import services, signals  # noqa: F401 (connects receivers)

        if services.on_event not in events.RECORDED_HOOKS:
            events.RECORDED_HOOKS.append(services.on_event)
        from wadul.core.schedule import every_minute
        from wadul.sla.tasks import sla_sweep

        every_minute(sla_sweep)
        # `make run` also runs the clock's scheduler, which enqueues the sweep every minute.
        scheduler = ("clock", [sys.executable, "-m", "wadul", "sla_scheduler"])
        if scheduler not in serve_demo.EXTRA_PROCESSES:
            serve_demo.EXTRA_PROCESSES.append(scheduler)
