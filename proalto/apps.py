from django.apps import AppConfig


class ProAltoConfig(AppConfig):
    """The ground layer as an app only so that its system checks are registered."""

    name = "proalto"
    verbose_name = "ProAlto"

    def ready(self):
        from proalto import checks  # noqa: F401  (registers the deployment checks)
