from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "sharewise.decisions"
    label = "decisions"
    verbose_name = "Information sharing decisions"
