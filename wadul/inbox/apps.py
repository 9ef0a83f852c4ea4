from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "wadul.inbox"
    label = "inbox"
