"""Ingest: what Meta's webhook sends, stored once, and the contact's processing enqueued.

The stored InboundMessage row is the source of truth: a replay is acknowledged and ignored,
a broker that is down loses nothing (the sweep enqueues stored rows later).
"""

from __future__ import annotations

import contextlib
import logging

from django.db import connection, transaction

from conversations.messaging.models import Contact, InboundMessage, OutboundMessage
from conversations.messaging.webhook import WebhookBatch
from proalto.celery import enqueue

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
        conflict="wa_id",
        on_conflict=_contact_upsert_clause(),
        returning=["id"],
    )
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
        try:
            enqueue(INBOX_TASK, contact_id)
        except Exception:  # broker down: the message is stored; the sweep will enqueue it
            logger.warning(
                "could not enqueue processing for contact %s; the sweep will pick it up", contact_id, exc_info=True
            )
            return


def outbound_status_apply(*, wa_message_id: str, status: str, at, error_code=None, error_title="") -> bool:
    """Move an outbound message's status forward; late or repeated notifications do nothing."""
    fields = {"status": status, "status_updated_at": at}
    if status == OutboundMessage.Status.FAILED:
        fields.update(error_code=error_code, error_title=error_title[:300])
    return bool(
        OutboundMessage.objects.filter(wa_message_id=wa_message_id, status__in=_STATUS_FROM[status]).update(**fields)
    )
