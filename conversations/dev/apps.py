from django.apps import AppConfig


class DevConfig(AppConfig):
    """Development tooling (the Cloud API stand-in, the sandbox chat, runbot, screenshots):
    installed for its management commands; its URLs are mounted only with the sandbox on."""

    name = "conversations.dev"
    label = "dev"
    verbose_name = "Herramientas de desarrollo"
