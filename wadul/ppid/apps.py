from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpidConfig(AppConfig):
    name = "wadul.ppid"
    label = "ppid"
    verbose_name = _("Public information requests (PPID)")

    def ready(self) -> None:
        from wadul.cases import events, kinds
        from wadul.ppid import services
        from wadul.ppid.kind import PPID_REQUEST

        # The PPID kind replaces wave 1's generic information request (same code).
        if kinds.conversational(PPID_REQUEST.code) is not PPID_REQUEST:
            kinds.unregister(PPID_REQUEST.code)
            kinds.register(PPID_REQUEST)
        if services.on_event not in events.RECORDED_HOOKS:
            events.RECORDED_HOOKS.append(services.on_event)
