from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "wadul.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from wadul.ops import checks

        checks.register()
