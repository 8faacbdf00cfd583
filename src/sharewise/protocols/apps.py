from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "sharewise.protocols"
    label = "protocols"
    verbose_name = "Information sharing protocols"
