from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "sharewise.decisions"
    label = "decisions"
    verbose_name = "Information sharing decisions"

    def ready(self) -> None:
        # A signed decision is sealed in the audit log (audit/seals.py; issue 17).
        from .sealing import register

        register()
