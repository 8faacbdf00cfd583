from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sharewise.api"
    label = "api"
    verbose_name = "JSON API"
