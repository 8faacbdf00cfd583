from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    name = "sharewise.protocols"
    label = "protocols"
    verbose_name = "Information sharing protocols"

    def ready(self) -> None:
        # A protocol signed by every party is sealed in the audit log (issue 17).
        from .sealing import register

        register()
