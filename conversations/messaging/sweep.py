"""The sweep (beat): work that a lost broker message or a dead worker left behind is enqueued again."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from conversations.messaging import breaker
from conversations.messaging.ingest import enqueue_processing
from conversations.messaging.lock import CLAIM_LEASE_SECONDS, claim_is_dead
from conversations.messaging.models import InboundMessage, OutboundMessage
from conversations.messaging.outbox import PREPARING, SENDING, circuit_probe_schedule, enqueue_sending
from proalto.celery import enqueue_or_defer

# The bot's task that prepares a contact's placeholders (published by name, like the inbox's).
PREPARE_TASK = "conversations.contact_outbound_prepare"


def pending_sweep(*, older_than_seconds: int = 10, lease_seconds: float = CLAIM_LEASE_SECONDS) -> dict:
    """Enqueue work that a lost broker message or a dead worker left behind."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    inbound_contacts = set(
        InboundMessage.objects.filter(status=InboundMessage.Status.PENDING, received_at__lt=cutoff).values_list(
            "contact_id", flat=True
        )
    )
    # A claim is a dead worker's when its process is gone (judged on this machine) or it was
    # not renewed for the lease. Judged by the claim's age, not the message's: a notice
    # queued hours ago for its allowed time is claimed, and being sent, just now.
    claims = OutboundMessage.objects.filter(status=SENDING, sent_at__isnull=True)
    stale = claims.filter(
        pk__in=[
            pk
            for pk, holder, claimed_at in claims.values_list("pk", "claimed_by", "claimed_at")
            if claim_is_dead(holder, claimed_at, now=now, lease=lease_seconds)
        ]
    )
    # Each claim counted an attempt: one that keeps killing its worker is failed (visible to
    # staff) after MESSAGE_MAX_ATTEMPTS instead of being queued again forever.
    stale.filter(attempts__gte=settings.MESSAGE_MAX_ATTEMPTS).update(
        status=OutboundMessage.Status.FAILED,
        error_title="Sin respuesta tras varios intentos de envío",
        status_updated_at=now,
    )
    stale.update(status=OutboundMessage.Status.QUEUED, claimed_by="")
    outbound_contacts = set(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED, created_at__lt=cutoff)
        .exclude(not_before__gt=now)
        .values_list("contact_id", flat=True)
    )
    circuit = breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID)
    if circuit is not None and outbound_contacts:
        # Held by the circuit: they go when its probe does, not one task each meanwhile.
        circuit_probe_schedule(settings.WHATSAPP_PHONE_NUMBER_ID, max(0.0, circuit["until"] - time.time()))
        outbound_contacts = set()
    # Placeholders nobody is preparing (a failed attempt, a dead worker): the bot prepares them.
    to_prepare = {
        contact_id
        for contact_id, holder, claimed_at in OutboundMessage.objects.filter(
            status=PREPARING, created_at__lt=cutoff
        ).values_list("contact_id", "claimed_by", "claimed_at")
        if claim_is_dead(holder, claimed_at, now=now, lease=lease_seconds)
    }
    enqueue_processing(sorted(inbound_contacts))
    for contact_id in sorted(to_prepare):
        enqueue_or_defer(PREPARE_TASK, contact_id)
    for contact_id in sorted(outbound_contacts - inbound_contacts):
        enqueue_sending(contact_id)
    return {"inbound": len(inbound_contacts), "outbound": len(outbound_contacts)}
