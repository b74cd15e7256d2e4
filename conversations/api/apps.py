from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The internal REST API under /api/v1/ (issue 13): ManyChat's External Request, events
    from ProAlto's systems, leads to the CRM. It orchestrates the domain as the bot does, on
    the same selectors, services and identity rules; its own tables hold the client keys,
    the events received, the calls' audit and the CRM deliveries."""

    name = "conversations.api"
    label = "api"
    verbose_name = "API interna"

    def ready(self) -> None:
        from conversations.api import receivers, schema  # noqa: F401  (signal receivers; the schema's key scheme)
