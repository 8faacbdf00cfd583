from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "sharewise.retention"
    label = "retention"
    verbose_name = "Retention, review and disposal"
