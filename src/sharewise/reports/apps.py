from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sharewise.reports"
    label = "reports"
    verbose_name = "Monitoring dashboards and audit reports"
