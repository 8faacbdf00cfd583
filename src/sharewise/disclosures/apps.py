from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "sharewise.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures"
