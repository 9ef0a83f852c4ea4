from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PpidConfig(AppConfig):
    name = "wadul.ppid"
    label = "ppid"
    verbose_name = _("Public information requests (PPID)")
