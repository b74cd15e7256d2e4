"""Conversation services: storing what Meta sends, running the engine, sending replies.

Entry points (the webhook view, Celery tasks, the admin) call these; they hold the
logic. Per customer, the ConversationSession row is the lock: inbound processing and
outbound sending take it with select_for_update, so one customer's messages are handled
in arrival order and never by two workers at once.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from conversations import engine, whatsapp
from conversations.flows import Incoming, Media
from conversations.models import Contact, ConversationSession, InboundMessage, OutboundMessage
from conversations.replies import render
from conversations.webhook import WebhookBatch
from proalto.masking import mask_phone

logger = logging.getLogger(__name__)

# Status notifications only move forward; failed is final.
_STATUS_FROM = {
    "sent": [OutboundMessage.Status.QUEUED],
    "delivered": [OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENT],
    "read": [OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENT, OutboundMessage.Status.DELIVERED],
    "failed": [OutboundMessage.Status.QUEUED, OutboundMessage.Status.SENT, OutboundMessage.Status.DELIVERED],
}
SENDING = "sending"  # transient claim while a worker talks to Meta (not a user-visible state)


# --- Ingest (webhook request) -------------------------------------------------------------


def webhook_ingest(*, batch: WebhookBatch) -> set[int]:
    """Store new messages once and apply statuses; returns the contacts with new messages.

    Processing is enqueued after commit; a broker failure does not lose anything because
    the stored rows are swept later. This runs on every message Meta sends, so the usual
    webhook (one message) is one statement and one round trip on PostgreSQL: the sender's
    upsert and the message's insert in a single INSERT … ON CONFLICT with a data-modifying
    CTE, in autocommit. SQLite (the embedded default) has no such CTE: two statements in
    a transaction.
    """
    one_statement = connection.vendor == "postgresql"
    news: set[int] = set()  # contacts with a newly stored message
    single = one_statement and len(batch.messages) + len(batch.statuses) == 1
    with contextlib.nullcontext() if single else transaction.atomic():
        if one_statement:
            # Senders in a stable order (their rows are locked by the upsert): no deadlocks
            # between concurrent batches. A sender's messages keep their order (stable sort).
            for parsed in sorted(batch.messages, key=lambda m: m.wa_id):
                row = _message_insert_with_sender(parsed)
                if row is not None:
                    news.add(row[1])
        else:
            contact_ids = _contacts_touch(batch)
            for parsed in batch.messages:
                if _insert_returning(_inbound_for(parsed, contact_ids[parsed.wa_id]), **_MESSAGE_ONCE) is not None:
                    news.add(contact_ids[parsed.wa_id])
        for status in batch.statuses:
            outbound_status_apply(
                wa_message_id=status.wa_message_id,
                status=status.status,
                at=status.at,
                error_code=status.error_code,
                error_title=status.error_title,
            )
        if news:
            transaction.on_commit(lambda: enqueue_processing(sorted(news)))
    return news


# A redelivery or a replay is acknowledged and never processed twice.
_MESSAGE_ONCE = {"conflict": "wa_message_id", "on_conflict": "DO NOTHING"}


def _inbound_for(parsed, contact_id: int | None) -> InboundMessage:
    return InboundMessage(
        wa_message_id=parsed.wa_message_id,
        contact_id=contact_id,
        type=parsed.type,
        text=parsed.text,
        choice_id=parsed.choice_id,
        media_id=parsed.media_id,
        media_mime=parsed.media_mime,
        media_filename=parsed.media_filename,
        payload=parsed.raw,
        sent_at=parsed.sent_at,
    )


def _contact_upsert_clause() -> str:
    """last_inbound_at only moves forward (webhooks may arrive out of order); a non-empty
    profile name replaces the stored one."""
    table = connection.ops.quote_name(Contact._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    return (
        f"DO UPDATE SET last_inbound_at = {greatest}(COALESCE({table}.last_inbound_at, EXCLUDED.last_inbound_at), "
        f"EXCLUDED.last_inbound_at), profile_name = CASE WHEN EXCLUDED.profile_name <> '' "
        f"THEN EXCLUDED.profile_name ELSE {table}.profile_name END"
    )


def _contacts_touch(batch: WebhookBatch) -> dict[str, int]:
    """Create or update the senders in one upsert each; returns their ids by wa_id."""
    latest: dict[str, tuple] = {}
    for parsed in batch.messages:
        if parsed.wa_id not in latest or parsed.sent_at > latest[parsed.wa_id][0]:
            latest[parsed.wa_id] = (parsed.sent_at, parsed.profile_name)
    upsert = {"conflict": "wa_id", "on_conflict": _contact_upsert_clause()}
    return {
        wa_id: _insert_returning(Contact(wa_id=wa_id, profile_name=name, last_inbound_at=sent_at), **upsert)[0]
        for wa_id, (sent_at, name) in sorted(latest.items())  # a stable order: no deadlocks between batches
    }


def _message_insert_with_sender(parsed) -> tuple[int, int] | None:
    """PostgreSQL: upsert the sender and insert the message in one statement; (message id,
    contact id), or None for a message already stored."""
    sender_sql, sender_params = _insert_sql(
        Contact(wa_id=parsed.wa_id, profile_name=parsed.profile_name, last_inbound_at=parsed.sent_at),
        conflict="wa_id", on_conflict=_contact_upsert_clause(), returning=["id"],
    )
    message_sql, message_params = _insert_sql(
        _inbound_for(parsed, None), **_MESSAGE_ONCE, returning=["id", "contact_id"], select_from=("sender", {"contact_id": "id"}),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH sender AS ({sender_sql}) {message_sql}", [*sender_params, *message_params])
        return cursor.fetchone()


def _insert_sql(obj, *, conflict: str, on_conflict: str, returning: list[str], select_from=None) -> tuple[str, list]:
    """INSERT … ON CONFLICT … RETURNING of an unsaved instance, built from the model's own
    fields and value conversions (PostgreSQL, SQLite ≥ 3.35). With select_from=(cte, {column:
    cte column}) those columns are taken from a preceding CTE instead of parameters."""
    meta = type(obj)._meta
    quote = connection.ops.quote_name
    from_cte = select_from[1] if select_from else {}
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns, values, params = [], [], []
    for f in fields:
        columns.append(quote(f.column))
        if f.column in from_cte:
            values.append(f"{select_from[0]}.{quote(from_cte[f.column])}")
        else:
            values.append("%s")
            params.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
    source = f"SELECT {', '.join(values)} FROM {select_from[0]}" if select_from else f"VALUES ({', '.join(values)})"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) {source} "
        f"ON CONFLICT ({quote(meta.get_field(conflict).column)}) {on_conflict} "
        f"RETURNING {', '.join(quote(meta.get_field(name).column) if name != 'id' else quote(meta.pk.column) for name in returning)}"
    )
    return sql, params


def _insert_returning(obj, *, conflict: str, on_conflict: str) -> tuple | None:
    """Run _insert_sql; the row's id as a 1-tuple, or None if nothing was written."""
    sql, params = _insert_sql(obj, conflict=conflict, on_conflict=on_conflict, returning=["id"])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def enqueue_processing(contact_ids: list[int]) -> None:
    from conversations.tasks import process_contact
    from proalto.celery import enqueue

    for contact_id in contact_ids:
        try:
            enqueue(process_contact, contact_id)
        except Exception:  # broker down: the message is stored; the sweep will enqueue it
            logger.warning("could not enqueue processing for contact %s; the sweep will pick it up", contact_id, exc_info=True)
            return


def enqueue_sending(contact_id: int, *, countdown: float | None = None) -> None:
    from conversations.tasks import flush_outbox

    try:
        flush_outbox.apply_async((contact_id,), countdown=countdown, retry=False)
    except Exception:
        logger.warning("could not enqueue sending for contact %s; the sweep will pick it up", contact_id)


def outbound_status_apply(*, wa_message_id: str, status: str, at, error_code=None, error_title="") -> bool:
    """Move an outbound message's status forward; late or repeated notifications do nothing."""
    fields = {"status": status, "status_updated_at": at}
    if status == "failed":
        fields.update(error_code=error_code, error_title=error_title[:300])
    return bool(
        OutboundMessage.objects.filter(wa_message_id=wa_message_id, status__in=_STATUS_FROM[status]).update(**fields)
    )


# --- Processing and sending (worker) ----------------------------------------------------------
#
# A customer's work is one lock cycle: lock the session row, process every pending inbound
# message, claim every reply that is due (status SENDING), commit; then the claimed replies
# are sent in order outside the transaction (no lock is held while Meta answers), each
# recorded as sent at once. The claim keeps any other worker from sending this customer's
# messages meanwhile: a worker that finds one (a message arrived during the sends) leaves
# its own replies queued and flushes them shortly after, behind the claimed ones, so
# order holds and nothing waits for the sweep.

# How soon a worker that found another's claim comes back to send what it left queued.
BUSY_RETRY_SECONDS = 0.3


@dataclass
class ProcessResult:
    processed: int = 0
    retry_in: float | None = None  # processing failed transiently: run the task again after this
    sent: int = 0
    send_retry_in: float | None = None  # a send failed transiently: flush again after this
    busy: bool = False  # another worker was sending this customer's messages: flush again soon


def _session_locked(contact_id: int) -> ConversationSession:
    # One query when the session exists (every message but a customer's first). Only the
    # session row is locked: the webhook keeps upserting the contact's row meanwhile.
    locked = ConversationSession.objects.select_for_update(of=("self",)).select_related("contact")
    session = locked.filter(contact_id=contact_id).first()
    if session is None:
        ConversationSession.objects.get_or_create(contact_id=contact_id)
        session = locked.get(contact_id=contact_id)
    return session


def contact_inbox_answer(*, contact_id: int) -> ProcessResult:
    """Answer one customer: mark their last message read, process what is pending, send the replies."""
    marked = contact_mark_read(contact_id=contact_id)
    return _contact_rounds(contact_id, process_inbox=True, marked_read=marked)


def contact_inbox_process(*, contact_id: int, now=None) -> ProcessResult:
    """Handle every pending message of one customer, oldest first, in one lock cycle (no sending)."""
    result = ProcessResult()
    with transaction.atomic():
        _inbox_process_locked(_session_locked(contact_id), result, now=now)
    return result


def contact_outbox_flush(*, contact_id: int) -> ProcessResult:
    """Send one customer's queued messages in order; never two workers for one customer."""
    result = _contact_rounds(contact_id, process_inbox=False)
    return ProcessResult(processed=result.sent, retry_in=result.send_retry_in, busy=result.busy)


def _contact_rounds(contact_id: int, *, process_inbox: bool, marked_read: str | None = None) -> ProcessResult:
    result = ProcessResult()
    with transaction.atomic():
        session = _session_locked(contact_id)
        last_processed = _inbox_process_locked(session, result) if process_inbox else None
        claimed, busy = _outbox_claim_locked(contact_id)
    wa_id = session.contact.wa_id
    if last_processed is not None and last_processed != marked_read:
        # Messages that arrived after the first was marked were answered too: they are
        # marked read before their replies go out.
        _mark_read(last_processed, typing=False, of=mask_phone(wa_id))
    result.busy = busy
    if claimed:
        _outbox_send(whatsapp.get_client(), wa_id, claimed, result)
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
        _queue_reply(session.contact, message, render("menu/processing_failed.txt"))
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
    from escalations import services as escalation_services
    from escalations.selectors import contact_ticket_held

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
        ticket, copy = escalation_services.ticket_open(
            contact=contact,
            reason=outcome.escalation.reason,
            priority=outcome.escalation.priority,
            details=outcome.escalation.details,
            customer=session.validated_customer if session.validated_customer_id else None,
            now=now,
        )
        _queue_reply(contact, message, render(copy.template, copy.context))
    for action in outcome.actions:
        if action == "ticket_release" and held is not None:
            escalation_services.ticket_close(ticket=held, by=None, notify=False)
    if outcome.resolved_flow:
        from conversations.signals import flow_resolved

        flow_resolved.send(sender=None, contact=contact, flow=outcome.resolved_flow, message=message)


def _fetch_media(contact: Contact, message: InboundMessage) -> Media:
    from documents.services import DocumentRejected, document_store_upload

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
        from documents.models import Document

        document = Document.objects.get(pk=reply.document_id)
        caption = render(reply.template, reply.context).preview if reply.template else ""
        return OutboundMessage.objects.create(
            contact=contact,
            in_reply_to=message,
            kind="document",
            preview=caption or document.original_name,
            body={"type": "document", "document": {"filename": document.original_name, **({"caption": caption} if caption else {})}},
            document=document,
        )
    return _queue_reply(contact, message, render(reply.template, reply.context))


def _queue_reply(contact, message, rendered) -> OutboundMessage:
    out = OutboundMessage.objects.create(
        contact=contact,
        in_reply_to=message,
        kind=rendered.body["type"] if rendered.body["type"] != "interactive" else rendered.body["interactive"]["type"],
        preview=rendered.preview,
        body=rendered.body,
    )
    return out


def outbound_queue(
    *, contact: Contact, body: dict, preview: str, sender: str, staff_user=None, document=None, not_before=None
) -> OutboundMessage:
    """Queue a message that is not a reply (advisor messages, notifications); sent after commit."""
    out = OutboundMessage.objects.create(
        contact=contact,
        sender=sender,
        staff_user=staff_user,
        kind=body["type"],
        preview=preview,
        body=body,
        document=document,
        not_before=not_before,
    )
    transaction.on_commit(lambda: enqueue_sending(contact.pk))
    return out


# --- Sending (worker) -------------------------------------------------------------------------


def _outbox_claim_locked(contact_id: int) -> tuple[list[OutboundMessage], bool]:
    """Claim the locked customer's due messages in order, unless another worker holds a
    claim; returns (claimed, whether another worker is sending). One UPDATE … RETURNING."""
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # A proactive message waiting for its allowed hours never holds back replies; the
    # sweep sends it when due. (A claimed message was due when it was claimed.)
    claimed = sorted(
        OutboundMessage.objects.raw(
            f"UPDATE {table} SET status = %s, attempts = attempts + 1, claimed_at = %s "
            f"WHERE contact_id = %s AND status = %s AND (not_before IS NULL OR not_before <= %s) "
            f"AND NOT EXISTS (SELECT 1 FROM {table} AS claim WHERE claim.contact_id = %s AND claim.status = %s) "
            f"RETURNING *",
            [SENDING, now, contact_id, OutboundMessage.Status.QUEUED, now, contact_id, SENDING],
        ),
        key=lambda out: out.pk,
    )
    if claimed:
        return claimed, False
    return [], OutboundMessage.objects.filter(contact_id=contact_id, status=SENDING).exists()


def _outbox_send(client: whatsapp.CloudAPIClient, wa_id: str, claimed: list[OutboundMessage], result: ProcessResult) -> bool:
    """Send claimed messages in order, recording each at once; False after a transient failure
    (the rest go back to the queue and result.send_retry_in says when to try again)."""
    for index, out in enumerate(claimed):
        try:
            body = _with_media(client, out)
            wa_message_id = client.send(wa_id, body)
        except (whatsapp.TransientError, whatsapp.TokenExpiredError, requests.ConnectionError, requests.Timeout) as exc:
            give_up = out.attempts >= settings.MESSAGE_MAX_ATTEMPTS
            _outbound_finish(out, status=OutboundMessage.Status.FAILED if give_up else OutboundMessage.Status.QUEUED, exc=exc)
            if give_up:
                logger.error("giving up on outbound %s to %s after %s attempts", out.pk, mask_phone(wa_id), out.attempts)
                continue
            # The later ones were not tried: back in the queue, behind this one, attempt not counted.
            rest = [later.pk for later in claimed[index + 1:]]
            if rest:
                OutboundMessage.objects.filter(pk__in=rest).update(status=OutboundMessage.Status.QUEUED, attempts=F("attempts") - 1)
            result.send_retry_in = min(2 ** out.attempts, 300)
            return False
        except whatsapp.WhatsAppError as exc:
            # Permanent: outside the 24-hour window, undeliverable, invalid request.
            logger.warning("outbound %s to %s refused: %s", out.pk, mask_phone(wa_id), exc)
            _outbound_finish(out, status=OutboundMessage.Status.FAILED, exc=exc)
            continue
        # Recorded at once (not at the next lock cycle) so Meta's status webhooks find it.
        OutboundMessage.objects.filter(pk=out.pk).update(
            status=OutboundMessage.Status.SENT, wa_message_id=wa_message_id, sent_at=timezone.now(), body=_kept_body(body)
        )
        result.sent += 1
    return True


def _with_media(client: whatsapp.CloudAPIClient, out: OutboundMessage) -> dict:
    """Upload an outbound document to Meta the first time it is sent; returns the body."""
    body = dict(out.body)
    if out.document_id and not body.get(body["type"], {}).get("id"):
        document = out.document
        with document.file.open("rb") as handle:
            media_id = client.upload_media(handle.read(), mime_type=document.mime_type, filename=document.original_name)
        body[body["type"]] = {**body.get(body["type"], {}), "id": media_id}
        OutboundMessage.objects.filter(pk=out.pk).update(body=body)
    return body


def _outbound_finish(out: OutboundMessage, *, status: str, exc: Exception) -> None:
    fields = {"body": _kept_body(out.body)} if status == OutboundMessage.Status.FAILED else {}
    OutboundMessage.objects.filter(pk=out.pk).update(
        status=status, error_code=getattr(exc, "code", None), error_title=str(exc)[:300], status_updated_at=timezone.now(), **fields
    )


def _kept_body(body: dict) -> dict:
    """What is stored of a body once it is done: one-time codes are never kept."""
    if body.get("type") != "template" or body["template"].get("name") != settings.WHATSAPP_OTP_TEMPLATE:
        return body
    template = dict(body["template"])
    template["components"] = [
        {**component, "parameters": [{**p, "text": "••••••"} for p in component.get("parameters", [])]}
        for component in template.get("components", [])
    ]
    return {**body, "template": template}


def contact_mark_read(*, contact_id: int) -> str | None:
    """Show the user their last message was read and the bot is typing (best effort);
    returns the WhatsApp id of the message marked."""
    last = (
        InboundMessage.objects.filter(contact_id=contact_id, status=InboundMessage.Status.PENDING)
        .order_by("-sent_at", "-id")  # the one processed last
        .values_list("wa_message_id", flat=True)
        .first()
    )
    if last is None:
        return None
    _mark_read(last, typing=True, of=f"contact {contact_id}")
    return last


def _mark_read(wa_message_id: str, *, typing: bool, of: str) -> None:
    try:
        whatsapp.get_client().mark_read(wa_message_id, typing=typing)
    except (whatsapp.WhatsAppError, requests.RequestException) as exc:
        logger.info("mark-as-read failed for a message of %s: %s", of, exc)


# --- Sweep (beat) -----------------------------------------------------------------------------


def pending_sweep(*, older_than_seconds: int = 10, stale_sending_seconds: int = 120) -> dict:
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
    OutboundMessage.objects.filter(status=SENDING, sent_at__isnull=True).filter(
        Q(claimed_at__lt=stale_before) | Q(claimed_at__isnull=True, created_at__lt=stale_before)
    ).update(status=OutboundMessage.Status.QUEUED)
    outbound_contacts = set(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED, created_at__lt=cutoff)
        .exclude(not_before__gt=now)
        .values_list("contact_id", flat=True)
    )
    enqueue_processing(sorted(inbound_contacts))
    for contact_id in sorted(outbound_contacts - inbound_contacts):
        enqueue_sending(contact_id)
    return {"inbound": len(inbound_contacts), "outbound": len(outbound_contacts)}
