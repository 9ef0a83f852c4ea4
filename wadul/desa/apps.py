from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesaConfig(AppConfig):
    name = "wadul.desa"
    label = "desa"
    verbose_name = _("Village services (Smart Kampung)")
