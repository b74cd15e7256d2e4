"""Reactions to escalation signals: telling advisors a ticket opened (email, if configured).

The in-admin badge needs no push: the admin pages poll the count.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver
from django.template.loader import render_to_string

from escalations.signals import ticket_opened

logger = logging.getLogger(__name__)


@receiver(ticket_opened, dispatch_uid="escalations.notify_advisors_by_email")
def notify_advisors_by_email(sender, ticket, **kwargs):
    # Sent after the ticket's transaction committed (escalations.services.ticket_open).
    if not settings.TICKET_NOTIFY_EMAILS:
        return
    context = {"ticket": ticket, "url": f"{settings.SITE_URL}/admin/escalations/ticket/{ticket.pk}/chat/"}
    subject = render_to_string("admin/escalations/email/ticket_opened_subject.txt", context).strip()
    body = render_to_string("admin/escalations/email/ticket_opened.txt", context)
    try:
        send_mail(subject, body, None, settings.TICKET_NOTIFY_EMAILS)
    except Exception:  # the chat must go on even if the mail server is down
        logger.exception("could not email advisors about ticket %s", ticket.pk)
