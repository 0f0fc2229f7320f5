from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who changed what and when, read from the other apps' histories: it sits above them."""

    name = "audit"
    verbose_name = "Audit"
