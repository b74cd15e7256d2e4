"""Ingest: what Meta's webhook sends, stored once, and the contact's processing enqueued.

The stored InboundMessage row is the source of truth: a replay is acknowledged and ignored,
a broker that is down loses nothing (the sweep enqueues stored rows later).
"""

from __future__ import annotations

import contextlib
import logging

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from conversations.messaging.models import Contact, InboundMessage, OutboundMessage
from conversations.messaging.webhook import ParsedMessage, WebhookBatch
from proalto.celery import enqueue_or_defer
from proalto.masking import mask_phone

logger = logging.getLogger(__name__)

# The bot's task that answers a contact's pending messages, published by name: messaging
# hands the work up without importing the layer above it.
INBOX_TASK = "conversations.contact_inbox_answer"

# Status notifications only move forward; failed is final.
_Status = OutboundMessage.Status
_STATUS_FROM = {
    _Status.SENT: [_Status.QUEUED],
    _Status.DELIVERED: [_Status.QUEUED, _Status.SENT],
    _Status.READ: [_Status.QUEUED, _Status.SENT, _Status.DELIVERED],
    _Status.FAILED: [_Status.QUEUED, _Status.SENT, _Status.DELIVERED],
}


def webhook_ingest(*, batch: WebhookBatch) -> set[int]:
    """Store new messages once and apply statuses; returns the contacts with new messages.

    Processing is enqueued after commit; a broker failure does not lose anything because
    the stored rows are swept later. This runs on every message Meta sends, so the usual
    webhook (one message) is one statement and one round trip on PostgreSQL: the sender's
    upsert and the message's insert in a single INSERT … ON CONFLICT with a data-modifying
    CTE, in autocommit. SQLite (the embedded default) has no such CTE: two statements in
    a transaction. A sender whose identifiers belong to two stored contacts (a phone on one,
    the BSUID on another) makes the upsert fail: then the contact is resolved row by row.
    """
    one_statement = connection.vendor == "postgresql"
    news: set[int] = set()  # contacts with a newly stored message
    single = one_statement and len(batch.messages) + len(batch.statuses) == 1
    with contextlib.nullcontext() if single else transaction.atomic():
        # Senders in a stable order (their rows are locked by the upsert): no deadlocks
        # between concurrent batches. A sender's messages keep their order (stable sort).
        for parsed in sorted(batch.messages, key=lambda m: m.sender.key):
            contact_id = _message_store(parsed, one_statement=one_statement)
            if contact_id is not None:
                news.add(contact_id)
                _identifiers_apply(contact_id, parsed)
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


def _message_store(parsed: ParsedMessage, *, one_statement: bool) -> int | None:
    """Store the message with its sender; the contact's id if the message is new."""
    if one_statement:
        try:
            with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
                row = _message_insert_with_sender(parsed)
            return row[1] if row is not None else None
        except IntegrityError:
            pass  # the sender's identifiers are split between two contacts: resolved below
    contact_id = _contact_upsert(parsed)
    return contact_id if _insert_returning(_inbound_for(parsed, contact_id), **_MESSAGE_ONCE) is not None else None


# What staff read in the transcript where Meta says the customer changed number.
NUMBER_CHANGE_NOTICE = "El cliente cambió su número de WhatsApp: debe validar su identidad de nuevo."


def _inbound_for(parsed, contact_id: int | None) -> InboundMessage:
    return InboundMessage(
        wa_message_id=parsed.wa_message_id,
        contact_id=contact_id,
        type=parsed.type,
        text=NUMBER_CHANGE_NOTICE if parsed.number_change else parsed.text,
        choice_id=parsed.choice_id,
        media_id=parsed.media_id,
        media_mime=parsed.media_mime,
        media_filename=parsed.media_filename,
        payload=parsed.raw,
        sent_at=parsed.sent_at,
    )


def _sender_row(parsed: ParsedMessage) -> Contact:
    sender = parsed.sender
    return Contact(
        wa_id=sender.wa_id or None,
        bsuid=sender.bsuid or None,
        parent_bsuid=sender.parent_bsuid,
        username=sender.username,
        profile_name=sender.profile_name,
        last_inbound_at=parsed.sent_at,
    )


def _sender_upsert(parsed: ParsedMessage) -> dict:
    """The ON CONFLICT of the sender's upsert: keyed by phone when Meta shared it, else by BSUID.

    last_inbound_at only moves forward (webhooks may arrive out of order); a non-empty
    profile name, username or parent BSUID replaces the stored one. Keyed by phone, a BSUID
    fills in the contact's; a different one (the number now belongs to another WhatsApp
    account) replaces it and marks the identity changed.
    """
    table = connection.ops.quote_name(Contact._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    newer = [
        f"last_inbound_at = {greatest}(COALESCE({table}.last_inbound_at, EXCLUDED.last_inbound_at), "
        f"EXCLUDED.last_inbound_at)",
        *(
            f"{column} = CASE WHEN EXCLUDED.{column} <> '' THEN EXCLUDED.{column} ELSE {table}.{column} END"
            for column in ("profile_name", "username", "parent_bsuid")
        ),
    ]
    if not parsed.sender.wa_id:
        return {"conflict": "bsuid", "on_conflict": "DO UPDATE SET " + ", ".join(newer)}
    changed = f"{table}.bsuid IS NOT NULL AND EXCLUDED.bsuid IS NOT NULL AND {table}.bsuid <> EXCLUDED.bsuid"
    return {
        "conflict": "wa_id",
        "on_conflict": "DO UPDATE SET "
        + ", ".join(
            [
                *newer,
                f"bsuid = COALESCE(EXCLUDED.bsuid, {table}.bsuid)",
                f"identity_changed_at = CASE WHEN {changed} THEN EXCLUDED.last_inbound_at "
                f"ELSE {table}.identity_changed_at END",
            ]
        ),
    }


def _contact_upsert(parsed: ParsedMessage) -> int:
    """The sender's contact id, created or updated: one upsert, or (identifiers split between
    two contacts, or a race between two first messages) a resolution row by row."""
    try:
        with transaction.atomic():
            return _insert_returning(_sender_row(parsed), **_sender_upsert(parsed))[0]
    except IntegrityError:
        return _contact_resolve(parsed)


def _contact_resolve(parsed: ParsedMessage) -> int:
    """One contact for the sender when the phone and the BSUID point at different rows: the
    one with the BSUID (the WhatsApp account writing now) keeps the chat; the phone stays on
    the other (a contact never loses its only identifier), which is logged for staff."""
    sender = parsed.sender
    with transaction.atomic():
        rows = list(
            Contact.objects.select_for_update()
            .filter(Q(wa_id=sender.wa_id or None) | Q(bsuid=sender.bsuid or None))
            .order_by("pk")
        )
        by_bsuid = next((row for row in rows if sender.bsuid and row.bsuid == sender.bsuid), None)
        contact = by_bsuid or (rows[0] if rows else None)
        if contact is None:  # both were created and removed meanwhile: a fresh row
            return _insert_returning(_sender_row(parsed), **_sender_upsert(parsed))[0]
        fields = {"last_inbound_at": max(filter(None, [contact.last_inbound_at, parsed.sent_at]))}
        fields.update({k: v for k, v in (("profile_name", sender.profile_name), ("username", sender.username)) if v})
        Contact.objects.filter(pk=contact.pk).update(**fields)
        if sender.wa_id and not contact.wa_id:
            _phone_attach(contact.pk, sender.wa_id, what="phone in the webhook")
        return contact.pk


def _phone_attach(contact_id: int, phone: str, *, what: str) -> None:
    """Give a contact the phone Meta vouched for. A contact that holds the phone but never
    wrote (the chat of a registered phone that only received a one-time code) is the same
    WhatsApp account: its messages move over and it goes. One with a conversation of its own
    is left as it is, and staff are told in the log."""
    holder = Contact.objects.select_for_update().filter(wa_id=phone).exclude(pk=contact_id).first()
    if holder is not None:
        if holder.bsuid or InboundMessage.objects.filter(contact=holder).exists():
            logger.warning(
                "%s %s not attached to contact %s: another contact with a conversation has it",
                what,
                mask_phone(phone),
                contact_id,
            )
            return
        OutboundMessage.objects.filter(contact=holder).update(contact_id=contact_id)
        holder.delete()
    Contact.objects.filter(pk=contact_id, wa_id__isnull=True).update(wa_id=phone)


def _identifiers_apply(contact_id: int, parsed: ParsedMessage) -> None:
    """A number change (system message) or a phone shared through Meta's contact request
    updates the contact; a number change also ends any validated identity of the chat."""
    change = parsed.number_change
    if change is not None:
        fields = {"identity_changed_at": parsed.sent_at}
        fields.update({k: v for k, v in (("wa_id", change.wa_id), ("bsuid", change.bsuid)) if v})
        _contact_update(contact_id, fields, what="number change")
    elif parsed.shared_phone:
        with transaction.atomic():
            _phone_attach(contact_id, parsed.shared_phone, what="shared phone")


def _contact_update(contact_id: int, fields: dict, *, what: str) -> None:
    rows = Contact.objects.filter(pk=contact_id)
    try:
        with transaction.atomic():
            rows.update(**fields)
    except IntegrityError:  # the new identifier is another contact's: keep both as they are
        logger.warning("%s for contact %s not applied: the identifier belongs to another contact", what, contact_id)
        if "identity_changed_at" in fields:
            Contact.objects.filter(pk=contact_id).update(identity_changed_at=fields["identity_changed_at"])


def _message_insert_with_sender(parsed) -> tuple[int, int] | None:
    """PostgreSQL: upsert the sender and insert the message in one statement; (message id,
    contact id), or None for a message already stored."""
    sender_sql, sender_params = _insert_sql(_sender_row(parsed), **_sender_upsert(parsed), returning=["id"])
    message_sql, message_params = _insert_sql(
        _inbound_for(parsed, None),
        **_MESSAGE_ONCE,
        returning=["id", "contact_id"],
        select_from=("sender", {"contact_id": "id"}),
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
        f"RETURNING {', '.join(_column(meta, name) for name in returning)}"
    )
    return sql, params


def _column(meta, name: str) -> str:
    return connection.ops.quote_name(meta.pk.column if name == "id" else meta.get_field(name).column)


def _insert_returning(obj, *, conflict: str, on_conflict: str) -> tuple | None:
    """Run _insert_sql; the row's id as a 1-tuple, or None if nothing was written."""
    sql, params = _insert_sql(obj, conflict=conflict, on_conflict=on_conflict, returning=["id"])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def enqueue_processing(contact_ids: list[int]) -> None:
    for contact_id in contact_ids:
        if not enqueue_or_defer(INBOX_TASK, contact_id):
            return  # the broker is down: no use trying the others now


def outbound_status_apply(*, wa_message_id: str, status: str, at, error_code=None, error_title="") -> bool:
    """Move an outbound message's status forward; late or repeated notifications do nothing."""
    fields = {"status": status, "status_updated_at": at}
    if status == OutboundMessage.Status.FAILED:
        fields.update(error_code=error_code, error_title=error_title[:300])
    return bool(
        OutboundMessage.objects.filter(wa_message_id=wa_message_id, status__in=_STATUS_FROM[status]).update(**fields)
    )
