from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = "Créditos"
    default_auto_field = "django.db.models.BigAutoField"
