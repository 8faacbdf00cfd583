from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "sharewise.rights"
    label = "rights"
    verbose_name = "People's rights and exchange"
