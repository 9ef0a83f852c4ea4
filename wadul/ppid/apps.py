from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpidConfig(AppConfig):
    name = "wadul.ppid"
    label = "ppid"
    verbose_name = _("Public information requests (PPID)")

    def ready(self) -> None:
        from dataclasses import replace

        from wadul.cases import events, kinds
        from wadul.ppid import replies, services
        from wadul.ppid.kind import PPID_REQUEST
        from wadul.sla import services as clock

        # The PPID kind replaces wave 1's generic information request (same code).
        known = kinds.conversational(PPID_REQUEST.code)
        if known is None or known.follow_up is not replies.follow_up:
            kinds.unregister(PPID_REQUEST.code)
            kinds.register(replace(PPID_REQUEST, follow_up=replies.follow_up))
        clock.ESCALATION_UNITS[PPID_REQUEST.code] = services.escalation_units
        if services.on_event not in events.RECORDED_HOOKS:
            events.RECORDED_HOOKS.append(services.on_event)
