from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo portfolio generator (`seed_demo`): it writes customers, orders and assessments,
    so it sits above every app it fills."""

    name = "demo"
    verbose_name = "Demo data"
