from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "wadul.relay"
    label = "relay"
    verbose_name = _("WhatsApp relay for officials")
