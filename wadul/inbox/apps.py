from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "wadul.inbox"
    label = "inbox"
    verbose_name = _("Staff inbox")

    def ready(self) -> None:
        # Imported here: the receivers' modules import models, loaded only after the apps.
        from wadul.inbox import search, security  # noqa: F401 (signal receivers)
