"""How drf-spectacular describes the API key in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "conversations.api.access.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "«Api-Key <clave>»: la clave que entregó `manage.py create_api_key`.",
        }


def only_the_api(endpoints, **kwargs):
    """The schema documents /api/v1/ only (Meta's webhook is a DRF view too, and not ours to offer)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
