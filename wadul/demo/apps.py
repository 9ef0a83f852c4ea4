from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "wadul.demo"
    label = "demo"
