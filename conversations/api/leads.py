"""Leads for ProAlto's CRM: "Nuevo crédito" applications the bot took and renewal requests,
with their contact data and signed, short-lived links to their documents.

Listed by GET /api/v1/leads/?desde=…; with CRM_WEBHOOK_URL each new one is also POSTed
there, signed with HMAC-SHA256 like Meta's webhooks (`X-ProAlto-Signature-256:
sha256=<hex>` over the raw body), retried with exponential backoff, each delivery a
LeadDelivery row staff see in the admin.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from credits.selectors import lead_by_number, leads_since
from escalations.selectors import renewal_ticket, renewal_tickets_since
from proalto.celery import enqueue
from proalto.masking import mask_phone

from .links import document_link
from .models import LeadDelivery

logger = logging.getLogger(__name__)

NEW_CREDIT, RENEWAL = "nuevo_credito", "renovacion"
DELIVER_TASK = "api.lead_deliver"
SIGNATURE_HEADER = "X-ProAlto-Signature-256"


def _documents(ids) -> list[dict]:
    return [{"id": pk, "url": document_link(document_id=pk)} for pk in ids or [] if isinstance(pk, int)]


def new_credit_lead(application) -> dict:
    details = application.details or {}
    contact = application.contact
    return {
        "id": f"{NEW_CREDIT}:{application.number}",
        "tipo": NEW_CREDIT,
        "fecha": application.updated_at.isoformat(),
        "solicitud": application.number,
        "etapa": application.stage,
        "nombre": details.get("full_name", ""),
        "cedula": details.get("cedula", ""),
        "celular": (contact.wa_id if contact else "") or "",
        "ciudad": details.get("city", ""),
        "pagaduria": details.get("pagaduria", ""),
        "mejor_hora": details.get("best_time", ""),
        "documentos": _documents(details.get("documents")),
    }


def renewal_lead(ticket) -> dict:
    details = ticket.details or {}
    customer = ticket.customer
    return {
        "id": f"{RENEWAL}:{ticket.pk}",
        "tipo": RENEWAL,
        "fecha": ticket.created_at.isoformat(),
        "solicitud": "",
        "etapa": "",
        "nombre": customer.full_name if customer else "",
        "cedula": customer.cedula if customer else "",
        "celular": (customer.phone if customer else ticket.contact.wa_id) or "",
        "oferta": details.get("offer", {}),
        "documentos": _documents(details.get("documents")),
    }


def leads_list(*, since: datetime) -> list[dict]:
    """Both kinds since `since`, oldest first (a few a day: merged in memory, then paginated)."""
    leads = [new_credit_lead(a) for a in leads_since(since=since)]
    leads += [renewal_lead(t) for t in renewal_tickets_since(since=since)]
    return sorted(leads, key=lambda lead: (lead["fecha"], lead["id"]))


# --- Delivery to the CRM ------------------------------------------------------------------


def lead_delivery_schedule(*, lead: str) -> None:
    """Record a new lead for delivery and queue it (after commit); nothing without CRM_WEBHOOK_URL."""
    if not settings.CRM_WEBHOOK_URL:
        return
    delivery, created = LeadDelivery.objects.get_or_create(lead=lead)
    if created:
        transaction.on_commit(lambda: _enqueue(delivery.pk))


def _enqueue(delivery_id: int, countdown: float | None = None) -> None:
    try:
        enqueue(DELIVER_TASK, delivery_id, countdown=countdown)
    except Exception:  # broker down: the row stays pending, visible to staff in the admin
        logger.warning("could not enqueue CRM delivery %s", delivery_id, exc_info=True)


def lead_payload(lead: str) -> dict | None:
    kind, _, key = lead.partition(":")
    if kind == NEW_CREDIT:
        application = lead_by_number(number=key)
        return new_credit_lead(application) if application else None
    if kind == RENEWAL and key.isdigit():
        ticket = renewal_ticket(ticket_id=int(key))
        return renewal_lead(ticket) if ticket else None
    return None


def signature(body: bytes) -> str:
    return "sha256=" + hmac.new(settings.CRM_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def backoff_seconds(attempts: int) -> float:
    """30 s, 1 min, 2 min… up to an hour between attempts."""
    return float(min(3600, 30 * 2 ** max(0, attempts - 1)))


def lead_deliver(*, delivery_id: int) -> str:
    """POST one lead to the CRM. On failure the row records the error and, below
    CRM_WEBHOOK_MAX_ATTEMPTS, the next attempt is queued with backoff. Returns the status."""
    with transaction.atomic():
        delivery = LeadDelivery.objects.select_for_update(skip_locked=True).filter(pk=delivery_id).first()
        if delivery is None or delivery.status != LeadDelivery.Status.PENDING:
            return delivery.status if delivery else "missing"
        payload = lead_payload(delivery.lead)
        if payload is None:
            delivery.status, delivery.last_error = LeadDelivery.Status.FAILED, "la solicitud ya no existe"
            delivery.save(update_fields=["status", "last_error"])
            return delivery.status
        body = json.dumps(payload, ensure_ascii=False).encode()
        delivery.attempts += 1
        try:
            response = requests.post(
                settings.CRM_WEBHOOK_URL,
                data=body,
                headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature(body)},
                timeout=settings.CRM_WEBHOOK_TIMEOUT_SECONDS,
            )
            error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            error = type(exc).__name__
        if not error:
            delivery.status, delivery.delivered_at, delivery.last_error = (
                LeadDelivery.Status.DELIVERED,
                timezone.now(),
                "",
            )
        else:
            delivery.last_error = error[:200]
            if delivery.attempts >= settings.CRM_WEBHOOK_MAX_ATTEMPTS:
                delivery.status = LeadDelivery.Status.FAILED
            else:
                wait = backoff_seconds(delivery.attempts)
                transaction.on_commit(lambda: _enqueue(delivery.pk, countdown=wait))
            logger.warning(
                "CRM delivery of a lead from %s failed (%s), attempt %s",
                mask_phone(payload.get("celular")),
                error,
                delivery.attempts,
            )
        delivery.save(update_fields=["status", "attempts", "last_error", "delivered_at"])
    return delivery.status
