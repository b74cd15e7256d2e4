"""Meta's 24-hour customer-service window: free-form messages inside it, only an approved
template outside it. Every proactive message (notices, advisor re-engagement) chooses here."""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings

from conversations.messaging import whatsapp
from conversations.messaging.models import Contact
from conversations.messaging.replies import Rendered

# Template parameters may not hold line breaks, tabs or more than four spaces in a row.
_PARAM_MAX = 900


def template_param(text: str) -> str:
    """Text made fit to be a template's body parameter."""
    return re.sub(r"\s+", " ", text).strip()[:_PARAM_MAX]


def proactive_body(*, contact: Contact, rendered: Rendered, template: str, params: list[str], at: datetime) -> dict:
    """The body of a message that will go out at ``at``: the rendered text if the window is
    still open then, else the approved ``template`` with its body parameters."""
    if contact.in_service_window(now=at):
        return rendered.body
    return whatsapp.template_body(template, language=settings.WHATSAPP_TEMPLATE_LANGUAGE, body_params=params)
