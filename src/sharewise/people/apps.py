from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "sharewise.people"
    label = "people"
    verbose_name = "People"
