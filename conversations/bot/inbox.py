"""The inbox worker: a customer's pending messages answered, with nothing slow under their lock.

One run for a customer:

1. before the lock, what is slow is prepared for each pending message: a file the chat is
   waiting for is downloaded from Meta and stored; free text in an idle chat is read by the
   LLM recogniser when it is the configured backend (and the customer consented);
2. one lock cycle: lock the session row, run the engine on each pending message in arrival
   order, apply the effects the flows returned (quick database writes), queue the replies
   and claim those due, commit;
3. after the lock: the claimed replies are sent in order; placeholders (a certificate) are
   prepared, which releases the replies queued behind them.

A message that needs preparing that step 1 did not do (a file that arrives in the same burst
as the message that asked for it) stops the lock cycle there; the run goes round again.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consent.selectors import contact_has_consent
from conversations.bot import engine, intents
from conversations.bot.appliers import Context, effect_apply, outbound_prepare_pending
from conversations.bot.effects import Effect
from conversations.bot.flows import Incoming, Media
from conversations.bot.services import unrecognised_record
from conversations.bot.signals import flow_resolved
from conversations.messaging import whatsapp
from conversations.messaging.lock import (
    ContactGone,
    preparation_claim,
    preparation_release,
    preparation_renew,
    session_lock,
)
from conversations.messaging.models import Contact, ConversationSession, InboundMessage
from conversations.messaging.outbox import (
    SendResult,
    contact_mark_read,
    contact_outbox_flush,
    document_reply_queue,
    mark_read,
    outbox_claim_locked,
    outbox_send,
    reply_queue,
)
from conversations.messaging.replies import Reply, render
from conversations.messaging.webhook import contact_request_phone, sender_phone
from documents.selectors import document_filename
from documents.services import DocumentRejected, document_discard, document_store_upload
from escalations.selectors import contact_ticket_held
from escalations.services import ticket_open
from proalto.logs import correlated
from proalto.masking import mask_cedula
from proalto.metrics import FIRST_REPLY_SECONDS

logger = logging.getLogger(__name__)

# Rounds of prepare-then-lock in one run (a burst that alternates requests and files).
MAX_ROUNDS = 5
# How long one message's preparation may take before another worker may take over (the
# longest media download or LLM call with the clients' timeouts, with room to spare).
PREPARATION_SECONDS = 60
# A worker that finds another preparing the same customer comes back this soon.
PREPARATION_BUSY_RETRY_SECONDS = 1
# Flows in which free text is read for an intent (the chat is not inside a step).
IDLE_FLOWS = ("", "menu")


@dataclass
class ProcessResult:
    processed: int = 0
    retry_in: float | None = None  # processing failed transiently: run the task again after this
    sent: int = 0
    send_retry_in: float | None = None  # a send failed transiently: flush again after this
    busy: bool = False  # another worker was sending this customer's messages: flush again soon


@dataclass
class Prepared:
    """What was done for one pending message before the lock."""

    intent: str | None = None
    media: Media | None = None
    retry_error: str = ""  # the download failed transiently: count an attempt, try later


@dataclass
class _Round:
    prepared: dict[int, Prepared] = field(default_factory=dict)
    wants_another: bool = False  # stopped at a message whose file was not prepared
    used: set[int] = field(default_factory=set)  # messages whose prepared file a flow received
    prepare_after: bool = False  # a placeholder was queued: prepare it after the lock
    answered: dict[int, datetime] = field(default_factory=dict)  # message id → when the webhook stored it


@dataclass
class _Plan:
    contact: Contact | None = None
    # (message, download its file, read its text with the LLM)
    items: list[tuple[InboundMessage, bool, bool]] = field(default_factory=list)


def contact_inbox_answer(*, contact_id: int) -> ProcessResult:
    """Answer one customer: mark their last message read, process what is pending, send the replies."""
    marked = contact_mark_read(contact_id=contact_id)
    result = ProcessResult()
    last_processed = session = None
    prepare_after = False
    for round_number in range(MAX_ROUNDS):
        current = _Round()
        # Files are looked for from the second round on: a first round that meets a file the
        # chat waits for stops there (most messages carry none, and pay no query for it).
        plan = _preparation_plan(contact_id, files=round_number > 0)
        if plan.items and not preparation_claim(contact_id, seconds=PREPARATION_SECONDS):
            # Another worker is preparing this customer's messages: it processes them next.
            # Come back shortly for anything that arrives after its lock cycle.
            result.retry_in = PREPARATION_BUSY_RETRY_SECONDS
            break
        try:
            current.prepared = _prepare(plan)
            with transaction.atomic():
                session = session_lock(contact_id)
                last_processed = _inbox_process_locked(session, result, current) or last_processed
                claimed, result.busy = outbox_claim_locked(contact_id)
        except ContactGone:
            current.used.clear()
            logger.info("inbox answer skipped: contact %s no longer exists", contact_id)
            break
        except BaseException:
            current.used.clear()  # rolled back: no flow kept any prepared file
            raise
        finally:
            if plan.items:
                preparation_release(contact_id)
            _unused_files_discard(current)
        prepare_after = prepare_after or current.prepare_after
        if claimed:
            _send(session.contact, claimed, result, current.answered)
        if not current.wants_another or result.retry_in is not None:
            break
    if session is None:
        return result
    if last_processed is not None and last_processed != marked:
        # Messages that arrived after the first was marked were answered too.
        mark_read(last_processed, typing=False, of=session.contact.masked)
    if prepare_after:
        flushed = contact_outbound_prepare(contact_id=contact_id)
        result.sent += flushed.sent
        result.send_retry_in = result.send_retry_in or flushed.retry_in
        result.busy = result.busy or flushed.busy
    return result


def contact_outbound_prepare(*, contact_id: int) -> SendResult:
    """Prepare the contact's placeholders (certificates) outside any lock, then send what they
    released; the sweep calls it for placeholders a dead worker left."""
    if not outbound_prepare_pending(contact_id=contact_id):
        return SendResult()
    return contact_outbox_flush(contact_id=contact_id)


def _send(contact: Contact, claimed, result: ProcessResult, answered: dict[int, datetime]) -> None:
    sent = SendResult()
    outbox_send(contact, claimed, sent)
    result.sent += sent.sent
    result.send_retry_in = sent.retry_in
    if sent.sent == len(claimed):
        # Every claimed reply was accepted by Meta: each message answered in this round got its
        # first reply now (a round with a failed send is left out rather than guessed at).
        now = timezone.now()
        for message_id in {out.in_reply_to_id for out in claimed} & answered.keys():
            FIRST_REPLY_SECONDS.observe(max((now - answered[message_id]).total_seconds(), 0.0))


# --- Before the lock ---------------------------------------------------------------------------


def _preparation_plan(contact_id: int, *, files: bool) -> _Plan:
    """Which pending messages need slow work before the lock: a file the chat is waiting for,
    free text of an idle chat when the LLM reads it. The session is read as it stands; the
    lock cycle checks again that each file is still wanted."""
    llm = intents.slow_backend_configured()
    if not files and not llm:
        return _Plan()
    pending = list(
        InboundMessage.objects.filter(contact_id=contact_id, status=InboundMessage.Status.PENDING).order_by(
            "sent_at", "id"
        )
    )
    if not pending:
        return _Plan()
    session = ConversationSession.objects.filter(contact_id=contact_id).select_related("contact").first()
    wants_media = session is not None and engine.wants_media(session=session)
    llm = llm and (session is None or session.flow in IDLE_FLOWS)
    contact = session.contact if session else Contact.objects.get(pk=contact_id)
    if llm and not contact_has_consent(contact=contact):
        llm = False  # nothing goes to a processor before consent
    items = [
        (
            message,
            bool(message.media_id) and wants_media,
            llm and message.type == "text" and bool(message.text.strip()),
        )
        for message in pending
    ]
    return _Plan(contact=contact, items=[item for item in items if item[1] or item[2]])


def _prepare(plan: _Plan) -> dict[int, Prepared]:
    """Do the plan's slow work, renewing this worker's claim before each message."""
    prepared = {}
    for message, media, llm in plan.items:
        with correlated(message.wa_message_id):
            prepared[message.pk] = _prepare_one(plan, message, media=media, llm=llm)
    return prepared


def _prepare_one(plan: _Plan, message: InboundMessage, *, media: bool, llm: bool) -> Prepared:
    preparation_renew(message.contact_id, seconds=PREPARATION_SECONDS)
    item = Prepared()
    if media:
        try:
            item.media = _media_fetch(plan.contact, message)
        except _RetryLater as retry:
            item.retry_error = str(retry)
    if llm:
        item.intent = intents.recognise(message.text).intent
    return item


def _unused_files_discard(current: _Round) -> None:
    """Files prepared but not given to a flow (the chat stopped waiting for them, or the
    message is retried later) are not kept: no personal data without a purpose."""
    # By message: the same file sent twice is one document received twice, each sending
    # undone on its own (documents.services.document_discard).
    unused = [
        item.media.document_id
        for message_id, item in current.prepared.items()
        if item.media is not None and item.media.document_id and message_id not in current.used
    ]
    for document_id in unused:
        document_discard(document_id=document_id)


def _media_fetch(contact: Contact, message: InboundMessage) -> Media:
    refused = Media(
        document_id=None, mime_type=message.media_mime, filename=message.media_filename, rejected="download"
    )
    try:
        data, info = whatsapp.get_client().download_media(message.media_id, max_bytes=settings.DOCUMENT_MAX_BYTES)
    except whatsapp.MediaTooLargeError:
        refused.rejected = "size"
        return refused
    except (whatsapp.TransientError, requests.ConnectionError, requests.Timeout) as exc:
        if message.attempts + 1 < settings.MESSAGE_MAX_ATTEMPTS:
            raise _RetryLater(f"media download: {exc}") from exc
        return refused
    except whatsapp.WhatsAppError:
        return refused
    try:
        document = document_store_upload(
            data=data, filename=message.media_filename, contact=contact, inbound_message=message
        )
    except DocumentRejected as exc:
        return Media(document_id=None, mime_type=info.mime_type, filename=message.media_filename, rejected=exc.reason)
    return Media(document_id=document.pk, mime_type=document.mime_type, filename=document.original_name)


class _RetryLater(Exception):
    pass


class _NotPrepared(Exception):
    """The message needs work that must not run under the lock: another round prepares it."""


# --- The lock cycle ----------------------------------------------------------------------------


def _inbox_process_locked(session: ConversationSession, result: ProcessResult, current: _Round) -> str | None:
    """Process the locked customer's pending messages in arrival order; returns the WhatsApp
    id of the last one processed. Stops at a message to be retried later (order is kept)."""
    last = None
    pending = InboundMessage.objects.filter(contact_id=session.contact_id, status=InboundMessage.Status.PENDING)
    for message in pending.order_by("sent_at", "id"):
        prepared = current.prepared.get(message.pk)
        try:
            # A savepoint: a message that fails leaves nothing half-done, and the attempt
            # is still recorded in the enclosing transaction. Its lines carry its WhatsApp id.
            with transaction.atomic(), correlated(message.wa_message_id):
                _process_one(session, message, prepared, current, now=timezone.now())
            current.answered[message.pk] = message.received_at
            result.processed += 1
            last = message.wa_message_id
            continue
        except _NotPrepared:
            _not_used(current, message)
            session.refresh_from_db()
            current.wants_another = True
            return last
        except _RetryLater as retry:
            error = str(retry)
        except Exception as exc:
            logger.exception("processing message %s failed", message.pk)
            error = f"{type(exc).__name__}: {exc}"
        # The engine may have changed the session in memory before failing; the row was
        # rolled back to the savepoint, so the next message starts from what is stored.
        _not_used(current, message)
        session.refresh_from_db()
        if not _attempt_failed(session, message, error, result):
            return last
        last = message.wa_message_id
    return last


def _not_used(current: _Round, message: InboundMessage) -> None:
    """The message's savepoint was rolled back: its file was not given to a flow after all."""
    current.used.discard(message.pk)


def _attempt_failed(session: ConversationSession, message: InboundMessage, error: str, result: ProcessResult) -> bool:
    """Count a failed attempt; True when the message is given up on (the customer is told)."""
    message.attempts += 1
    message.last_error = error[:500]
    if message.attempts < settings.MESSAGE_MAX_ATTEMPTS:
        message.save(update_fields=["attempts", "last_error"])
        result.retry_in = min(2**message.attempts, 300)
        return False
    # Out of attempts: the message is failed (visible to staff) and the user is told.
    message.status = InboundMessage.Status.FAILED
    message.processed_at = timezone.now()
    message.save(update_fields=["status", "processed_at", "attempts", "last_error"])
    reply_queue(contact=session.contact, message=message, rendered=render("menu/processing_failed.txt"))
    return True


def _incoming(message: InboundMessage, prepared: Prepared | None) -> Incoming:
    return Incoming(
        message_id=message.pk,
        wa_message_id=message.wa_message_id,
        type=message.type,
        text=message.text,
        choice=message.choice_id,
        sent_at=message.sent_at,
        intent=prepared.intent if prepared else None,
        sender_phone=sender_phone(message.payload),
        shared_phone=contact_request_phone(message.payload) if message.type == "contacts" else "",
    )


def _process_one(
    session: ConversationSession, message: InboundMessage, prepared: Prepared | None, current: _Round, *, now
) -> None:
    contact = session.contact
    incoming = _incoming(message, prepared)
    if message.media_id:
        incoming.media = _media_for(session, message, prepared, current)

    _identity_check(session)
    answer = engine.secret_answer(session=session)
    held = contact_ticket_held(contact=contact)
    outcome = engine.handle(
        session=session, contact=contact, incoming=incoming, now=now, advisor_holds_chat=held is not None
    )
    _session_touch(session, now)
    message.status = InboundMessage.Status.PROCESSED
    message.processed_at = timezone.now()
    fields = ["status", "processed_at", "attempts", "last_error"]
    if answer and message.type == "text":
        _secret_mask(message, answer)
        fields += ["text", "payload"]
    message.save(update_fields=fields)

    ctx = Context(session=session, contact=contact, message=message, now=now, held_ticket=held)
    for item in outcome.replies:
        for reply in effect_apply(item, ctx) if isinstance(item, Effect) else [item]:
            _reply_queue(contact, message, reply)
    current.prepare_after = current.prepare_after or ctx.prepare_after
    if outcome.escalation:
        _ticket_open(session, message, outcome.escalation, now=now)
    for text, flow, step in outcome.unrecognised:
        unrecognised_record(text=text, flow=flow, step=step)
    if outcome.resolved_flow:
        flow_resolved.send(sender=None, contact=contact, flow=outcome.resolved_flow, message=message)


def _media_for(
    session: ConversationSession, message: InboundMessage, prepared: Prepared | None, current: _Round
) -> Media | None:
    """The file prepared before the lock if the chat still wants it; raises when it wants one
    that was not prepared (another round) or whose download must be retried."""
    wanted = engine.wants_media(session=session)
    if prepared is not None and prepared.retry_error:
        if wanted:
            raise _RetryLater(prepared.retry_error)
        return None
    media = prepared.media if prepared else None
    if wanted and media is None:
        raise _NotPrepared()
    if not wanted:
        return None  # a file nobody asks for is not kept (discarded after the lock cycle)
    if media.document_id:
        current.used.add(message.pk)
    return media


def _secret_mask(message: InboundMessage, kind: str) -> None:
    """An identity answer is kept masked: a cédula like the staff panel shows it, the issue date
    and one-time codes not at all (Habeas Data: no screen, transcript or export holds them)."""
    if kind == "cedula":
        digits = re.sub(r"\D", "", message.text)
        masked = f"[cédula {mask_cedula(digits)}]" if digits else "[cédula]"
    else:
        masked = {"issue_date": "[fecha de expedición]", "code": "[código]"}[kind]
    message.text = masked
    if isinstance(message.payload.get("text"), dict):
        message.payload = {**message.payload, "text": {**message.payload["text"], "body": masked}}


def _identity_check(session: ConversationSession) -> None:
    """An identity validated before the chat's WhatsApp account changed (a new number, a new
    BSUID for the number) no longer holds: a lender asks again after a possible SIM swap."""
    changed = session.contact.identity_changed_at
    if changed and session.validated_customer_id and (session.validated_at is None or session.validated_at < changed):
        logger.info("validated identity of %s ended: the WhatsApp account changed", session.contact.masked)
        session.validated_customer = None
        session.validated_until = session.validated_at = None


def _session_touch(session: ConversationSession, now) -> None:
    session.last_activity = now
    if session.validated_until:
        if session.validated_until > now:
            # A validated identity lasts IDENTITY_SESSION_MINUTES of activity.
            session.validated_until = now + timedelta(minutes=settings.IDENTITY_SESSION_MINUTES)
        else:
            session.validated_customer = None
            session.validated_until = None
    session.save()


def _ticket_open(session: ConversationSession, message: InboundMessage, escalation, *, now) -> None:
    _, copy = ticket_open(
        contact=session.contact,
        reason=escalation.reason,
        priority=escalation.priority,
        details=escalation.details,
        customer=session.validated_customer if session.validated_customer_id else None,
        now=now,
    )
    _reply_queue(session.contact, message, copy)


def _reply_queue(contact: Contact, message: InboundMessage, reply: Reply) -> None:
    if reply.document_id:
        caption = render(reply.template, reply.context).preview if reply.template else ""
        document_reply_queue(
            contact=contact,
            message=message,
            document_id=reply.document_id,
            filename=document_filename(document_id=reply.document_id),
            caption=caption,
        )
        return
    reply_queue(contact=contact, message=message, rendered=render(reply.template, reply.context))
