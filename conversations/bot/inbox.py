"""The inbox worker: a customer's pending messages answered in one lock cycle.

Lock the contact's session row, run the engine on each pending message in arrival order,
queue the replies and claim them, commit; then send the claimed replies in order outside
the transaction (no lock is held while Meta answers).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conversations.bot import engine
from conversations.bot.flows import Incoming, Media
from conversations.bot.signals import flow_resolved
from conversations.messaging import whatsapp
from conversations.messaging.lock import session_lock
from conversations.messaging.models import Contact, ConversationSession, InboundMessage, OutboundMessage
from conversations.messaging.outbox import (
    SendResult, contact_mark_read, document_reply_queue, mark_read, outbox_claim_locked, outbox_send, reply_queue,
)
from conversations.messaging.replies import render
from documents.selectors import document_filename
from documents.services import DocumentRejected, document_store_upload
from escalations.selectors import contact_ticket_held
from escalations.services import ticket_close, ticket_open
from proalto.masking import mask_phone

logger = logging.getLogger(__name__)


@dataclass
class ProcessResult:
    processed: int = 0
    retry_in: float | None = None  # processing failed transiently: run the task again after this
    sent: int = 0
    send_retry_in: float | None = None  # a send failed transiently: flush again after this
    busy: bool = False  # another worker was sending this customer's messages: flush again soon


def contact_inbox_answer(*, contact_id: int) -> ProcessResult:
    """Answer one customer: mark their last message read, process what is pending, send the replies."""
    marked = contact_mark_read(contact_id=contact_id)
    return _contact_rounds(contact_id, marked_read=marked)


def contact_inbox_process(*, contact_id: int, now=None) -> ProcessResult:
    """Handle every pending message of one customer, oldest first, in one lock cycle (no sending)."""
    result = ProcessResult()
    with transaction.atomic():
        _inbox_process_locked(session_lock(contact_id), result, now=now)
    return result


def _contact_rounds(contact_id: int, *, marked_read: str | None = None) -> ProcessResult:
    result = ProcessResult()
    with transaction.atomic():
        session = session_lock(contact_id)
        last_processed = _inbox_process_locked(session, result)
        claimed, busy = outbox_claim_locked(contact_id)
    wa_id = session.contact.wa_id
    if last_processed is not None and last_processed != marked_read:
        # Messages that arrived after the first was marked were answered too: they are
        # marked read before their replies go out.
        mark_read(last_processed, typing=False, of=mask_phone(wa_id))
    result.busy = busy
    if claimed:
        sent = SendResult()
        outbox_send(wa_id, claimed, sent)
        result.sent, result.send_retry_in = sent.sent, sent.retry_in
    return result


def _inbox_process_locked(session: ConversationSession, result: ProcessResult, *, now=None) -> str | None:
    """Process the locked customer's pending messages in arrival order; returns the WhatsApp
    id of the last one processed. Stops at a message to be retried later (order is kept)."""
    last = None
    pending = InboundMessage.objects.filter(contact_id=session.contact_id, status=InboundMessage.Status.PENDING)
    for message in pending.order_by("sent_at", "id"):
        try:
            # A savepoint: a message that fails leaves nothing half-done, and the attempt
            # is still recorded in the enclosing transaction.
            with transaction.atomic():
                _process_one(session, message, now=now or timezone.now())
            result.processed += 1
            last = message.wa_message_id
            continue
        except _RetryLater as retry:
            error = str(retry)
        except Exception as exc:
            logger.exception("processing message %s failed", message.pk)
            error = f"{type(exc).__name__}: {exc}"
        # The engine may have changed the session in memory before failing; the row was
        # rolled back to the savepoint, so the next message starts from what is stored.
        session.refresh_from_db()
        message.attempts += 1
        message.last_error = error[:500]
        if message.attempts < settings.MESSAGE_MAX_ATTEMPTS:
            message.save(update_fields=["attempts", "last_error"])
            result.retry_in = min(2 ** message.attempts, 300)
            return last
        # Out of attempts: the message is failed (visible to staff) and the user is told.
        message.status = InboundMessage.Status.FAILED
        message.processed_at = timezone.now()
        message.save(update_fields=["status", "processed_at", "attempts", "last_error"])
        reply_queue(contact=session.contact, message=message, rendered=render("menu/processing_failed.txt"))
        last = message.wa_message_id
    return last


class _RetryLater(Exception):
    pass


def _incoming(message: InboundMessage) -> Incoming:
    return Incoming(
        message_id=message.pk,
        wa_message_id=message.wa_message_id,
        type=message.type,
        text=message.text,
        choice=message.choice_id,
        sent_at=message.sent_at,
    )


def _process_one(session: ConversationSession, message: InboundMessage, *, now) -> None:
    contact = session.contact
    incoming = _incoming(message)
    if message.media_id and engine.wants_media(session=session):
        incoming.media = _fetch_media(contact, message)

    held = contact_ticket_held(contact=contact)
    outcome = engine.handle(
        session=session, contact=contact, incoming=incoming, now=now, advisor_holds_chat=held is not None
    )
    session.last_activity = now
    if session.validated_until:
        if session.validated_until > now:
            # A validated identity lasts IDENTITY_SESSION_MINUTES of activity.
            session.validated_until = now + timedelta(minutes=settings.IDENTITY_SESSION_MINUTES)
        else:
            session.validated_customer = None
            session.validated_until = None
    session.save()

    message.status = InboundMessage.Status.PROCESSED
    message.processed_at = timezone.now()
    message.save(update_fields=["status", "processed_at", "attempts", "last_error"])

    for reply in outcome.replies:
        _queue_flow_reply(contact, message, reply, session=session)
    if outcome.escalation:
        ticket, copy = ticket_open(
            contact=contact,
            reason=outcome.escalation.reason,
            priority=outcome.escalation.priority,
            details=outcome.escalation.details,
            customer=session.validated_customer if session.validated_customer_id else None,
            now=now,
        )
        reply_queue(contact=contact, message=message, rendered=render(copy.template, copy.context))
    for action in outcome.actions:
        if action == "ticket_release" and held is not None:
            ticket_close(ticket=held, by=None, notify=False)
    if outcome.resolved_flow:
        flow_resolved.send(sender=None, contact=contact, flow=outcome.resolved_flow, message=message)


def _fetch_media(contact: Contact, message: InboundMessage) -> Media:
    try:
        data, info = whatsapp.get_client().download_media(message.media_id, max_bytes=settings.DOCUMENT_MAX_BYTES)
    except whatsapp.MediaTooLargeError:
        return Media(document_id=None, mime_type=message.media_mime, filename=message.media_filename, rejected="size")
    except (whatsapp.TransientError, requests.ConnectionError, requests.Timeout) as exc:
        if message.attempts + 1 < settings.MESSAGE_MAX_ATTEMPTS:
            raise _RetryLater(f"media download: {exc}") from exc
        return Media(document_id=None, mime_type=message.media_mime, filename=message.media_filename, rejected="download")
    except whatsapp.WhatsAppError:
        return Media(document_id=None, mime_type=message.media_mime, filename=message.media_filename, rejected="download")
    try:
        document = document_store_upload(
            data=data, filename=message.media_filename, contact=contact, inbound_message=message
        )
    except DocumentRejected as exc:
        return Media(document_id=None, mime_type=info.mime_type, filename=message.media_filename, rejected=exc.reason)
    return Media(document_id=document.pk, mime_type=document.mime_type, filename=document.original_name)


def _queue_flow_reply(contact, message, reply, *, session) -> OutboundMessage:
    if reply.document_id:
        caption = render(reply.template, reply.context).preview if reply.template else ""
        return document_reply_queue(
            contact=contact, message=message, document_id=reply.document_id,
            filename=document_filename(document_id=reply.document_id), caption=caption,
        )
    return reply_queue(contact=contact, message=message, rendered=render(reply.template, reply.context))
