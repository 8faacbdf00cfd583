from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "sharewise.rights"
    label = "rights"
    verbose_name = "People's rights and exchange"

    def ready(self) -> None:
        # An imported decision's provenance is sealed with the decision (issue 17).
        from .sealing import register

        register()
