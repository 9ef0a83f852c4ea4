from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wadul.core"
    label = "core"
