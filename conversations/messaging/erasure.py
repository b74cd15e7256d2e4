"""Erasing a contact's messages (a granted *suprimir* request, consent.erasure)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from conversations.messaging.models import Contact, ConversationSession, InboundMessage, OutboundMessage


def contact_messages_erase(*, contact, placeholder: str) -> tuple[int, int]:
    """Empty what the contact said and was told, keeping content-free rows for the metrics;
    cancel what is still queued (it would carry the old content); forget the session's
    collected data and validated identity, and the profile name. Returns (inbound, outbound)."""
    ConversationSession.objects.filter(contact=contact).update(
        flow="", step="", data={}, misunderstandings=0, validated_customer=None, validated_until=None
    )
    inbound = InboundMessage.objects.filter(contact=contact).update(
        text=placeholder, choice_id="", media_id="", media_mime="", media_filename="", payload={}, last_error=""
    )
    OutboundMessage.objects.filter(contact=contact, status=OutboundMessage.Status.QUEUED).update(
        status=OutboundMessage.Status.FAILED, error_title="Cancelado por supresión de datos"
    )
    outbound = OutboundMessage.objects.filter(contact=contact).update(preview=placeholder, body={})
    type(contact).objects.filter(pk=contact.pk).update(profile_name="")
    contact.profile_name = ""
    return inbound, outbound


def contacts_idle_since(*, cutoff) -> QuerySet[Contact]:
    """Contacts whose last message is older than ``cutoff`` and who still have messages with
    their content (an erased message keeps no payload)."""
    with_content = InboundMessage.objects.filter(contact=OuterRef("pk")).exclude(payload={})
    idle = Q(last_inbound_at__lt=cutoff) | Q(last_inbound_at__isnull=True, created_at__lt=cutoff)
    return Contact.objects.filter(idle).filter(Exists(with_content))
