from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "wadul.routing"
    label = "routing"
    verbose_name = _("Routing")

    def ready(self) -> None:
        # Imported here: the receivers' module imports models, loaded only after the apps.
        from wadul.routing import signals  # noqa: F401 (connects the triage listener)
