from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wadul.portal"
    label = "portal"
    verbose_name = "Portal"
