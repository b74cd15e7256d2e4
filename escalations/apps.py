from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EscalationsConfig(AppConfig):
    default = True
    name = "escalations"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Atención por asesores"

    def ready(self):
        from escalations import receivers  # noqa: F401  (connects the signal receivers)


class ProAltoAdminConfig(admin_apps.AdminConfig):
    """The Django admin, served by ProAlto's site: second factor and login throttling."""

    default = False

    default_site = "escalations.site.ProAltoAdminSite"
