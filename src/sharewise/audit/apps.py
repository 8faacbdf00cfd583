from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sharewise.audit"
    label = "audit"
    verbose_name = "Audit log"
