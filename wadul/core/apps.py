from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wadul.core"
    label = "core"

    def ready(self) -> None:
        from wadul.core import limits  # noqa: F401 (registers the login signal receivers)
