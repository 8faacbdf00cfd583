from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "sharewise.advice"
    label = "advice"
    verbose_name = "Advice"
