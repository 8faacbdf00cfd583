from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "sharewise.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures"

    def ready(self) -> None:
        # An acknowledged disclosure is sealed in the audit log (audit/seals.py; issue 17).
        from .sealing import register

        register()
