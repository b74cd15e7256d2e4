"""Leads for ProAlto's CRM: "Nuevo crédito" applications the bot took and renewal requests,
with their contact data and signed, short-lived links to their documents.

Listed by GET /api/v1/leads/?desde=…; with CRM_WEBHOOK_URL each new one is also POSTed
there, signed with HMAC-SHA256 like Meta's webhooks (`X-ProAlto-Signature-256:
sha256=<hex>` over the raw body), retried with exponential backoff, each delivery a
LeadDelivery row staff see in the admin. A delivery whose task was never queued or got
lost (the broker down) is re-queued by beat's sweep once overdue (`lead_deliveries_sweep`);
each task carries the attempt it makes, so a late duplicate never makes an attempt twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Q
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
SWEEP_TASK = "api.lead_deliveries_sweep"
SWEEP_BATCH = 500
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
    delivery, created = LeadDelivery.objects.get_or_create(lead=lead, defaults={"next_attempt_at": timezone.now()})
    if created:
        transaction.on_commit(lambda: _enqueue(delivery.pk, attempt=1))


def _enqueue(delivery_id: int, *, attempt: int, countdown: float | None = None) -> None:
    try:
        enqueue(DELIVER_TASK, delivery_id, attempt, countdown=countdown)
    except Exception:  # broker down: the row stays pending and overdue; beat's sweep re-queues it
        logger.warning("could not enqueue CRM delivery %s; the sweep will re-queue it", delivery_id, exc_info=True)


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


def lead_deliver(*, delivery_id: int, attempt: int | None = None) -> str:
    """POST one lead to the CRM as attempt number `attempt` (None: the next one). On failure
    the row records the error and, below CRM_WEBHOOK_MAX_ATTEMPTS, the next attempt is queued
    with backoff. A delivery in flight (its row locked), or whose `attempt` was already made
    (a task re-queued by the sweep and the lost one both arriving), is left alone. Returns
    the status."""
    with transaction.atomic():
        delivery = LeadDelivery.objects.select_for_update(skip_locked=True).filter(pk=delivery_id).first()
        if delivery is None or delivery.status != LeadDelivery.Status.PENDING:
            return delivery.status if delivery else "missing"
        if attempt is not None and attempt != delivery.attempts + 1:
            return delivery.status  # that attempt was made already
        if delivery.attempts >= settings.CRM_WEBHOOK_MAX_ATTEMPTS:
            return _give_up(delivery, delivery.last_error or "sin intentos restantes")
        payload = lead_payload(delivery.lead)
        if payload is None:
            return _give_up(delivery, "la solicitud ya no existe")
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
        delivery.next_attempt_at = None
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
                delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
                following = delivery.attempts + 1
                transaction.on_commit(lambda: _enqueue(delivery.pk, attempt=following, countdown=wait))
            logger.warning(
                "CRM delivery of a lead from %s failed (%s), attempt %s",
                mask_phone(payload.get("celular")),
                error,
                delivery.attempts,
            )
        delivery.save(update_fields=["status", "attempts", "last_error", "delivered_at", "next_attempt_at"])
    return delivery.status


def _give_up(delivery: LeadDelivery, reason: str) -> str:
    delivery.status, delivery.last_error, delivery.next_attempt_at = LeadDelivery.Status.FAILED, reason[:200], None
    delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
    return delivery.status


def lead_deliveries_sweep(*, now: datetime | None = None) -> int:
    """Re-queue the pending deliveries whose next attempt is overdue by more than
    CRM_WEBHOOK_SWEEP_SECONDS (their task was never queued, or was lost); returns how many.

    Rows in flight are skipped (locked by the delivering worker); each row taken is claimed
    by moving its next attempt to now, so the next sweep leaves it alone while the task
    waits in the queue. The task names the attempt it makes: should the lost task turn up
    too, only one of them makes it. Nothing without CRM_WEBHOOK_URL."""
    if not settings.CRM_WEBHOOK_URL:
        return 0
    now = now or timezone.now()
    overdue = now - timedelta(seconds=settings.CRM_WEBHOOK_SWEEP_SECONDS)
    with transaction.atomic():
        taken = list(
            LeadDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=LeadDelivery.Status.PENDING)
            .filter(Q(next_attempt_at__lte=overdue) | Q(next_attempt_at__isnull=True, created_at__lte=overdue))
            .order_by("pk")
            .values_list("pk", "attempts")[:SWEEP_BATCH]
        )
        LeadDelivery.objects.filter(pk__in=[pk for pk, _ in taken]).update(next_attempt_at=now)
        for pk, attempts in taken:
            transaction.on_commit(lambda pk=pk, attempts=attempts: _enqueue(pk, attempt=attempts + 1))
    if taken:
        logger.info("re-queued %s overdue CRM deliveries", len(taken))
    return len(taken)
