"""The sweep (beat): work that a lost broker message or a dead worker left behind is enqueued again."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from conversations.messaging.ingest import enqueue_processing
from conversations.messaging.models import InboundMessage, OutboundMessage
from conversations.messaging.outbox import PREPARING, SENDING, STALE_CLAIM_SECONDS, enqueue_sending
from proalto.celery import enqueue_or_defer

# The bot's task that prepares a contact's placeholders (published by name, like the inbox's).
PREPARE_TASK = "conversations.contact_outbound_prepare"


def pending_sweep(*, older_than_seconds: int = 10, stale_sending_seconds: int = STALE_CLAIM_SECONDS) -> dict:
    """Enqueue work that a lost broker message or a dead worker left behind."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    inbound_contacts = set(
        InboundMessage.objects.filter(status=InboundMessage.Status.PENDING, received_at__lt=cutoff).values_list(
            "contact_id", flat=True
        )
    )
    # A claim older than the longest send (the client's retries included) is a dead worker's.
    # Judged by the claim's age, not the message's: a notice queued hours ago for its
    # allowed time is claimed, and being sent, just now.
    stale_before = now - timedelta(seconds=stale_sending_seconds)
    stale = OutboundMessage.objects.filter(status=SENDING, sent_at__isnull=True).filter(
        Q(claimed_at__lt=stale_before) | Q(claimed_at__isnull=True, created_at__lt=stale_before)
    )
    # Each claim counted an attempt: one that keeps killing its worker is failed (visible to
    # staff) after MESSAGE_MAX_ATTEMPTS instead of being queued again forever.
    stale.filter(attempts__gte=settings.MESSAGE_MAX_ATTEMPTS).update(
        status=OutboundMessage.Status.FAILED,
        error_title="Sin respuesta tras varios intentos de envío",
        status_updated_at=now,
    )
    stale.update(status=OutboundMessage.Status.QUEUED)
    outbound_contacts = set(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED, created_at__lt=cutoff)
        .exclude(not_before__gt=now)
        .values_list("contact_id", flat=True)
    )
    # Placeholders nobody is preparing (a failed attempt, a dead worker): the bot prepares them.
    to_prepare = set(
        OutboundMessage.objects.filter(status=PREPARING, created_at__lt=cutoff)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before))
        .values_list("contact_id", flat=True)
    )
    enqueue_processing(sorted(inbound_contacts))
    for contact_id in sorted(to_prepare):
        enqueue_or_defer(PREPARE_TASK, contact_id)
    for contact_id in sorted(outbound_contacts - inbound_contacts):
        enqueue_sending(contact_id)
    return {"inbound": len(inbound_contacts), "outbound": len(outbound_contacts)}
