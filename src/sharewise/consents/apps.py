from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "sharewise.consents"
    label = "consents"
    verbose_name = "Consent records"
