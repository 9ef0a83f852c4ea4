from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wadul.api"
    label = "api"
