"""E-mails to compliance about data-rights requests: one when a request arrives, and a daily
reminder while one is due within two business days (consent.selectors.DUE_SOON_BUSINESS_DAYS).

The in-admin badge needs no push: the admin pages read rights_requests_attention_count. The
mails carry the radicado, kind and deadline, never the person's data.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consent.models import DataRightsRequest
from consent.selectors import DUE_SOON_BUSINESS_DAYS, rights_requests_due_soon
from proalto.colombia import business_days_between, format_date_long

logger = logging.getLogger(__name__)


def _admin_url(request: DataRightsRequest) -> str:
    return settings.SITE_URL + reverse("admin:consent_datarightsrequest_change", args=[request.pk])


def _send(template: str, context: dict) -> bool:
    subject = render_to_string(f"admin/consent/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"admin/consent/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, settings.COMPLIANCE_NOTIFY_EMAILS)
    except Exception:  # a mail server down must not undo the request nor stop the sweep
        logger.exception("could not e-mail compliance (%s)", template)
        return False
    return True


def rights_request_alert_new(*, request_id: int) -> bool:
    """Tell compliance a request arrived (called after the request's transaction committed)."""
    if not settings.COMPLIANCE_NOTIFY_EMAILS:
        return False
    request = DataRightsRequest.objects.filter(pk=request_id).first()
    if request is None:
        return False
    context = {"request": request, "due": format_date_long(request.due_date), "url": _admin_url(request)}
    return _send("rights_request_new", context)


def rights_requests_alert_due(*, now=None) -> int:
    """One e-mail a day listing the open requests due within two business days; returns how many it named."""
    if not settings.COMPLIANCE_NOTIFY_EMAILS:
        return 0
    today = timezone.localdate(now or timezone.now())
    due = list(rights_requests_due_soon(today=today).exclude(due_alert_sent_on=today))
    if not due:
        return 0
    rows = [
        {
            "request": request,
            "due": format_date_long(request.due_date),
            "left": business_days_between(today, request.due_date),
            "url": _admin_url(request),
        }
        for request in due
    ]
    if not _send("rights_requests_due", {"rows": rows, "days": DUE_SOON_BUSINESS_DAYS}):
        return 0
    DataRightsRequest.objects.filter(pk__in=[r.pk for r in due]).update(due_alert_sent_on=today)
    return len(due)
