from django.apps import AppConfig


class AuditlogConfig(AppConfig):
    name = "pathwise.auditlog"
    verbose_name = "Audit log"
