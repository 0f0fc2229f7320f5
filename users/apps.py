from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Users and teams"

    def ready(self) -> None:
        from users import signals  # noqa: F401  (connects the deactivation receiver)
