from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationConfig(AppConfig):
    name = "wadul.conversation"
    label = "conversation"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        # Signal receivers are connected once the apps are loaded.
        from wadul.cases.events import case_event_committed
        from wadul.conversation import signals

        case_event_committed.connect(signals.on_case_event, dispatch_uid="conversation_rating")
