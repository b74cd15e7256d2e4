"""Deployment checks of ProAlto's own settings, run by `manage.py check --deploy`.

The embedded default's conveniences (DEBUG, the public development key, the sandbox that
signs webhooks for anyone) are each fine on a laptop and each an exposure in a deployment.
Errors, not warnings: a deploy pipeline running `check --deploy` stops on any of them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def sandbox_without_debug(app_configs, **kwargs) -> list[Error]:
    if settings.SANDBOX_ENABLED and not settings.DEBUG:
        return [
            Error(
                "The WhatsApp sandbox is on with DEBUG off: /sandbox/ is public and posts signed webhooks "
                "for anyone who opens it.",
                hint="Remove PROALTO_SANDBOX=true from the deployment's environment.",
                id="proalto.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def debug_with_real_token(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG and settings.WHATSAPP_ACCESS_TOKEN not in ("", settings.SANDBOX_ACCESS_TOKEN):
        return [
            Error(
                "DEBUG is on with a real WhatsApp access token: error pages would show customers' data "
                "and the settings to anyone.",
                hint="Set DJANGO_DEBUG=false (or leave it unset) wherever WHATSAPP_ACCESS_TOKEN is set.",
                id="proalto.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def dev_secret_key(app_configs, **kwargs) -> list[Error]:
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the public development key: anyone can forge sessions, password-reset "
                "links and signed values.",
                hint="Set DJANGO_SECRET_KEY to a long random value kept out of the repository "
                '(python -c "import secrets; print(secrets.token_urlsafe(50))").',
                id="proalto.E003",
            )
        ]
    return []
