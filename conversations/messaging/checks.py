"""Deploy checks of the WhatsApp edge (`python manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils import timezone

from conversations.messaging.versions import version_problem
from proalto.checks import PROALTO


@register(Tags.compatibility, PROALTO, deploy=True)
def graph_api_version(app_configs, **kwargs):
    """The configured Graph API version is known and not retired nor retiring within 60 days."""
    problem = version_problem(settings.WHATSAPP_API_VERSION, today=timezone.localdate())
    if problem is None:
        return []
    return [
        Warning(
            problem,
            hint="Set WHATSAPP_API_VERSION to the current version after reading the Cloud API changelog.",
            id="proalto.W101",
        )
    ]
