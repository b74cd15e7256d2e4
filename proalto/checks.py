"""Deployment checks of ProAlto's own settings, run by `manage.py check --deploy`
(`--tag proalto` runs only ProAlto's: these and the WhatsApp edge's, proalto.W101).

The embedded default's conveniences (DEBUG, the public development key, the sandbox that
signs webhooks for anyone) are each fine on a laptop and each an exposure in a deployment.
Errors, not warnings: a deploy pipeline running `check --deploy` stops on any of them. A
missing production setting is an error when the service would misbehave without it (a
token without its app secret, documents on one machine's disk), a warning when only an
operator's tool is missing (error e-mails, a token for /metrics, the Business Account id).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Every ProAlto check carries this tag besides Django's own (security, compatibility).
PROALTO = "proalto"


@register(Tags.security, PROALTO, deploy=True)
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


@register(Tags.security, PROALTO, deploy=True)
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


@register(Tags.security, PROALTO, deploy=True)
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


def _real_token() -> bool:
    return settings.WHATSAPP_ACCESS_TOKEN not in ("", settings.SANDBOX_ACCESS_TOKEN)


@register(Tags.security, PROALTO, deploy=True)
def token_without_app_secret(app_configs, **kwargs) -> list[Error]:
    if _real_token() and settings.WHATSAPP_APP_SECRET in ("", settings.SANDBOX_APP_SECRET):
        return [
            Error(
                "A real WhatsApp access token is set without its app secret: webhooks are checked against the "
                "public sandbox secret (or nothing), so anyone can post messages as Meta.",
                hint="Set WHATSAPP_APP_SECRET to the Meta app's secret (App settings > Basic) and remove "
                "PROALTO_SANDBOX.",
                id="proalto.E004",
            )
        ]
    return []


@register(PROALTO, deploy=True)
def storage_bucket(app_configs, **kwargs) -> list[Error]:
    if not settings.AWS_STORAGE_BUCKET_NAME:
        return [
            Error(
                "No storage bucket: customers' documents and certificates would be kept on this machine's disk, "
                "lost with it and invisible to the other web and worker machines.",
                hint="Set AWS_STORAGE_BUCKET_NAME to the private, encrypted S3 bucket (README, Production).",
                id="proalto.E005",
            )
        ]
    return []


@register(PROALTO, deploy=True)
def admins(app_configs, **kwargs) -> list[Warning]:
    if not settings.ADMINS:
        return [
            Warning(
                "No ADMINS: nobody is e-mailed when Meta rejects the access token or a request fails.",
                hint='Set ADMINS to "Name <it@proalto.com.co>" (comma-separated for several).',
                id="proalto.W001",
            )
        ]
    return []


@register(Tags.security, PROALTO, deploy=True)
def metrics_token(app_configs, **kwargs) -> list[Warning]:
    if not settings.METRICS_TOKEN:
        return [
            Warning(
                "METRICS_TOKEN is empty: /metrics answers anyone who reaches the instance.",
                hint="Set METRICS_TOKEN (Prometheus sends it as a bearer token), or make sure the load balancer "
                "never forwards /metrics and only Prometheus reaches the instances' port.",
                id="proalto.W002",
            )
        ]
    return []


@register(PROALTO, deploy=True)
def business_account(app_configs, **kwargs) -> list[Warning]:
    if _real_token() and not settings.WHATSAPP_BUSINESS_ACCOUNT_ID:
        return [
            Warning(
                "WHATSAPP_BUSINESS_ACCOUNT_ID is empty: manage.py whatsapp_templates and whatsapp_check cannot "
                "read the account's templates and webhook subscription.",
                hint="Set it to the WhatsApp Business Account id (WhatsApp Manager > Account tools).",
                id="proalto.W003",
            )
        ]
    return []
