from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = "Créditos"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from credits import receivers  # noqa: F401  (connects the signal receivers)
