from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "sharewise.requests"
    label = "requests"
    verbose_name = "Requests for information"
