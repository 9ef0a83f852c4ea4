from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "wadul.privacy"
    label = "privacy"
    verbose_name = _("Personal data protection (UU 27/2022)")

    def ready(self) -> None:
        # Imported here: models may be imported only once every app is loaded.
        from wadul.core.schedule import every_minute
        from wadul.privacy import requests, retention, tasks

        requests.register()
        retention.register_rules()
        every_minute(tasks.daily_retention, tasks.push_dpo_alerts)
