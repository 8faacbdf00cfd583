from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "sharewise.agencies"
    label = "agencies"
    verbose_name = "Agencies, teams and roles"
