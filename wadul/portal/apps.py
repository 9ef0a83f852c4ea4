from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wadul.portal"
    label = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Registered once the apps are loaded (the channel module imports models).
        from wadul.cases import channels
        from wadul.portal.channel import WEB

        channels.register(WEB)
