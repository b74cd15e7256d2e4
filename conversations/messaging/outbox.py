"""The outbox: messages queued in the database, claimed in order under the contact's lock,
sent through the Cloud API client outside any transaction.

A customer's replies are claimed (status SENDING) while their session row is locked, then
sent in order with no lock held while Meta answers, each recorded as sent at once. The claim
keeps any other worker from sending this customer's messages meanwhile: a worker that finds
one leaves its own replies queued and flushes them shortly after, behind the claimed ones.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from conversations.messaging import breaker, whatsapp
from conversations.messaging.lock import CLAIM_LEASE_SECONDS, ContactGone, claim_holder, claim_is_dead, session_lock
from conversations.messaging.models import Contact, InboundMessage, OutboundMessage
from conversations.messaging.replies import Rendered
from proalto.celery import enqueue_or_defer

logger = logging.getLogger(__name__)

SENDING = "sending"  # transient claim while a worker talks to Meta (not a user-visible state)
# A placeholder whose content is made after the lock cycle (a certificate being rendered and
# stored); the replies queued after it wait for it. Its preparation is claimed with claimed_at.
PREPARING = "preparing"
# How soon a worker that found another's claim comes back to send what it left queued.
BUSY_RETRY_SECONDS = 0.3
FLUSH_TASK = "conversations.contact_outbox_flush"
PROBE_TASK = "conversations.circuit_probe"


@dataclass
class SendResult:
    sent: int = 0
    retry_in: float | None = None  # a send failed transiently: flush again after this
    busy: bool = False  # another worker was sending this customer's messages: flush again soon
    held: bool = False  # messages wait for the circuit (or the customer's rate limit)


def enqueue_sending(contact_id: int, *, countdown: float | None = None) -> None:
    enqueue_or_defer(FLUSH_TASK, contact_id, countdown=countdown)


def reply_queue(*, contact: Contact, message: InboundMessage | None, rendered: Rendered) -> OutboundMessage:
    """Queue the bot's reply to a message; sent by the worker that processed it (same lock cycle)."""
    body = rendered.body
    return OutboundMessage.objects.create(
        contact=contact,
        in_reply_to=message,
        kind=body["type"] if body["type"] != "interactive" else body["interactive"]["type"],
        preview=rendered.preview,
        body=body,
    )


def document_reply_queue(
    *, contact: Contact, message: InboundMessage | None, document_id: int, filename: str, caption: str = ""
) -> OutboundMessage:
    """Queue a document the bot sends (uploaded to Meta when it is sent)."""
    return OutboundMessage.objects.create(
        contact=contact,
        in_reply_to=message,
        kind="document",
        preview=caption or filename,
        body={"type": "document", "document": {"filename": filename, **({"caption": caption} if caption else {})}},
        document_id=document_id,
    )


def placeholder_queue(*, contact: Contact, message: InboundMessage | None, preparation: dict) -> OutboundMessage:
    """Queue the place of a reply whose content is prepared after the lock cycle; ``preparation``
    says what to make (kept in the body until then, never sent)."""
    return OutboundMessage.objects.create(
        contact=contact,
        in_reply_to=message,
        kind="document",
        preview="[en preparación]",
        body={"type": "document", "document": {}, "_prepare": preparation},
        status=PREPARING,
    )


def prepared_claim(*, contact_id: int) -> list[OutboundMessage]:
    """Claim the contact's placeholders to prepare (not claimed, or claimed by a dead worker), in order."""
    now = timezone.now()
    _dead_claims_release(contact_id, PREPARING, now=now)
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    return sorted(
        OutboundMessage.objects.raw(
            f"UPDATE {table} SET claimed_at = %s, claimed_by = %s, attempts = attempts + 1 "
            f"WHERE contact_id = %s AND status = %s AND claimed_at IS NULL RETURNING *",
            [connection.ops.adapt_datetimefield_value(now), claim_holder(), contact_id, PREPARING],
        ),
        key=lambda out: out.pk,
    )


def _dead_claims_release(contact_id: int, status: str, *, now) -> int:
    """Release the contact's claims (in ``status``) whose worker is gone; returns how many.
    A message being sent goes back to the queue (its attempt stays counted), a placeholder
    back to preparation."""
    claims = OutboundMessage.objects.filter(contact_id=contact_id, status=status, claimed_at__isnull=False)
    dead = [
        pk
        for pk, holder, claimed_at in claims.values_list("pk", "claimed_by", "claimed_at")
        if claim_is_dead(holder, claimed_at, now=now, lease=CLAIM_LEASE_SECONDS)
    ]
    if not dead:
        return 0
    release = {"status": OutboundMessage.Status.QUEUED} if status == SENDING else {}
    released = claims.filter(pk__in=dead).update(claimed_at=None, claimed_by="", **release)
    logger.warning("released %s claim(s) of a dead worker for contact %s", released, contact_id)
    return released


def prepared_done(
    *,
    out: OutboundMessage,
    body: dict | None = None,
    preview: str = "",
    document_id: int | None = None,
    retry_error: str = "",
) -> None:
    """Record a preparation: the placeholder becomes a queued message, or (``retry_error``)
    is left for the sweep to try again."""
    if retry_error:
        OutboundMessage.objects.filter(pk=out.pk).update(claimed_at=None, error_title=retry_error[:300])
        return
    kind = body["type"]
    OutboundMessage.objects.filter(pk=out.pk, status=PREPARING).update(
        status=OutboundMessage.Status.QUEUED,
        kind=kind,
        body=body,
        preview=preview,
        document_id=document_id,
        claimed_at=None,
        claimed_by="",
        attempts=0,
        error_title="",
    )


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


def contact_outbox_flush(*, contact_id: int) -> SendResult:
    """Send one customer's queued messages in order; never two workers for one customer."""
    try:
        with transaction.atomic():
            session = session_lock(contact_id)
            claimed, busy = outbox_claim_locked(contact_id)
    except ContactGone:
        logger.info("outbox flush skipped: contact %s no longer exists", contact_id)
        return SendResult()
    result = SendResult(busy=busy)
    if claimed:
        outbox_send(session.contact, claimed, result)
    return result


def outbox_claim_locked(contact_id: int) -> tuple[list[OutboundMessage], bool]:
    """Claim the locked customer's due messages in order, unless another live worker holds a
    claim; returns (claimed, whether another worker is sending). One UPDATE … RETURNING; a
    dead worker's claim, when one blocks, is released and the queue claimed again at once."""
    claimed = _claim(contact_id)
    if claimed:
        return claimed, False
    if not OutboundMessage.objects.filter(contact_id=contact_id, status=SENDING).exists():
        return [], False
    if not _dead_claims_release(contact_id, SENDING, now=timezone.now()):
        return [], True
    claimed = _claim(contact_id)
    return claimed, not claimed and OutboundMessage.objects.filter(contact_id=contact_id, status=SENDING).exists()


def _claim(contact_id: int) -> list[OutboundMessage]:
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # A proactive message waiting for its allowed hours never holds back replies; the
    # sweep sends it when due. (A claimed message was due when it was claimed.)
    return sorted(
        OutboundMessage.objects.raw(
            f"UPDATE {table} SET status = %s, attempts = attempts + 1, claimed_at = %s, claimed_by = %s "
            f"WHERE contact_id = %s AND status = %s AND (not_before IS NULL OR not_before <= %s) "
            f"AND NOT EXISTS (SELECT 1 FROM {table} AS claim WHERE claim.contact_id = %s AND claim.status = %s) "
            # Nothing overtakes a message still being prepared (a certificate being rendered).
            f"AND NOT EXISTS (SELECT 1 FROM {table} AS prep WHERE prep.contact_id = %s AND prep.status = %s "
            f"AND prep.id < {table}.id) "
            f"RETURNING *",
            [
                SENDING,
                now,
                claim_holder(),
                contact_id,
                OutboundMessage.Status.QUEUED,
                now,
                contact_id,
                SENDING,
                contact_id,
                PREPARING,
            ],
        ),
        key=lambda out: out.pk,
    )


def outbox_send(contact: Contact, claimed: list[OutboundMessage], result: SendResult) -> bool:
    """Send claimed messages in order, recording each at once; False when the rest must wait
    (back in the queue). After a transient failure or the customer's own rate limit
    result.retry_in says when to try again; while Meta throttles the number or refuses the
    token (the circuit breaker), they are held until a probe goes through, which releases
    every held customer (no per-customer retries meanwhile)."""
    client = whatsapp.get_client()
    number = client.phone_number_id
    gate = breaker.circuit_gate(number)
    if gate.hold is not None:
        _hold(claimed, result)
        circuit_probe_schedule(number, gate.hold.retry_in)
        return False
    renewed = time.monotonic()
    for index, out in enumerate(claimed):
        if time.monotonic() - renewed > CLAIM_LEASE_SECONDS / 3:
            # A slow Meta: renew the lease on what is left, so no one takes it for a dead worker's.
            OutboundMessage.objects.filter(pk__in=[o.pk for o in claimed[index:]], status=SENDING).update(
                claimed_at=timezone.now()
            )
            renewed = time.monotonic()
        try:
            body = _with_media(client, out)
            wa_message_id = client.send(contact.address, _with_secrets(out, body))
        except (whatsapp.RateLimitedError, whatsapp.TokenExpiredError) as exc:
            if isinstance(exc, whatsapp.PairRateLimitedError):
                # 131056: this customer got too many messages in a short time; only they wait.
                gate = _probe_answered(gate, number, contact)
                _hold(claimed[index:], result, exc)
                result.retry_in = settings.WHATSAPP_PAIR_RATE_RETRY_SECONDS * random.uniform(1, 1.5)
                return False
            # The number is throttled or the token refused: nobody sends until a probe goes
            # through. Back in the queue first: whatever happens next, nothing stays claimed.
            _hold(claimed[index:], result, exc)
            reason = breaker.TOKEN if isinstance(exc, whatsapp.TokenExpiredError) else breaker.THROTTLED
            circuit_probe_schedule(number, breaker.circuit_trip(number, reason=reason, code=exc.code).retry_in)
            return False
        except (whatsapp.TransientError, requests.RequestException) as exc:
            gate = _probe_abandoned(gate, number)
            if _retry_or_give_up(contact, out, claimed[index + 1 :], exc, result):
                return False
            continue
        except whatsapp.BsuidUnsupportedError as exc:
            # An authentication template addressed to a BSUID: one-time codes must go to the
            # customer's registered phone (conversations.bot.appliers); this is a bug to fix.
            gate = _probe_answered(gate, number, contact)
            logger.error(
                "outbound %s to %s refused: %s cannot go to a BSUID (131062)", out.pk, contact.masked, out.kind
            )
            _outbound_finish(out, status=OutboundMessage.Status.FAILED, exc=exc)
            continue
        except (whatsapp.WhatsAppError, SecretExpiredError) as exc:
            # Permanent: outside the 24-hour window, undeliverable, invalid request, a one-time
            # code no longer known.
            if isinstance(exc, whatsapp.WhatsAppError):
                gate = _probe_answered(gate, number, contact)
            logger.warning("outbound %s to %s refused: %s", out.pk, contact.masked, exc)
            _outbound_finish(out, status=OutboundMessage.Status.FAILED, exc=exc)
            continue
        except Exception as exc:
            # Anything else (a missing file, an unexpected answer): counted like a transient
            # error, so one bad message is failed after its attempts and never blocks the
            # customer's later replies.
            gate = _probe_abandoned(gate, number)
            logger.exception("sending outbound %s to %s failed", out.pk, contact.masked)
            if _retry_or_give_up(contact, out, claimed[index + 1 :], exc, result):
                return False
            continue
        gate = _probe_answered(gate, number, contact)
        if _has_secret(out.body):
            cache.delete(_secret_key(out.pk))  # sent: the code is not kept any longer
        # Recorded at once (not at the next lock cycle) so Meta's status webhooks find it.
        OutboundMessage.objects.filter(pk=out.pk).update(
            status=OutboundMessage.Status.SENT,
            wa_message_id=wa_message_id,
            sent_at=timezone.now(),
            body=_kept_body(body),
        )
        result.sent += 1
    return True


def _hold(held: list[OutboundMessage], result: SendResult, exc: Exception | None = None) -> None:
    """Put messages back in the queue, in order, their attempt not counted: Meta asked us to
    wait (no fault of the message), so waiting must never make one fail."""
    OutboundMessage.objects.filter(pk__in=[out.pk for out in held]).update(
        status=OutboundMessage.Status.QUEUED, attempts=F("attempts") - 1, claimed_by=""
    )
    if exc is not None:
        OutboundMessage.objects.filter(pk=held[0].pk).update(
            error_code=getattr(exc, "code", None), error_title=str(exc)[:300], status_updated_at=timezone.now()
        )
    result.held = True


# --- The circuit's probe and the release of what it held -------------------------------------


def circuit_probe_schedule(number: str, countdown: float) -> None:
    """One probe task per cool-down, however many sends were held."""
    if breaker.probe_schedule_claim(number, seconds=countdown):
        enqueue_or_defer(PROBE_TASK, countdown=countdown)


def circuit_probe() -> SendResult:
    """The circuit's probe (a task, after the cool-down): the oldest held customer's messages
    are sent; if they go through, every other held customer is released."""
    number = whatsapp.get_client().phone_number_id
    breaker.probe_schedule_release(number)
    if breaker.circuit_state(number) is None:
        return SendResult()  # closed meanwhile: the release was done by whoever closed it
    contact_id = (
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED)
        .exclude(not_before__gt=timezone.now())
        .order_by("pk")
        .values_list("contact_id", flat=True)
        .first()
    )
    if contact_id is None:
        return SendResult()  # nothing held: the next send is the probe
    result = contact_outbox_flush(contact_id=contact_id)
    if result.retry_in is not None or result.busy:
        enqueue_sending(contact_id, countdown=result.retry_in or BUSY_RETRY_SECONDS)
    return result


def _probe_answered(gate: breaker.Gate, number: str, contact: Contact) -> breaker.Gate:
    """Meta answered the probe with anything but a throttle or a token error: the circuit
    closes and every held customer is flushed (their replies in order, behind the probe)."""
    if not gate.probe:
        return gate
    breaker.circuit_close(number)
    held = set(
        OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED)
        .exclude(not_before__gt=timezone.now())
        .exclude(contact_id=contact.pk)
        .values_list("contact_id", flat=True)
    )
    for contact_id in sorted(held):
        enqueue_sending(contact_id)
    logger.info("released the held replies of %s customers", len(held))
    return breaker.Gate()


def _probe_abandoned(gate: breaker.Gate, number: str) -> breaker.Gate:
    """The probe met no answer from Meta (network, 5xx, a local failure): another send probes."""
    if gate.probe:
        breaker.probe_abandon(number)
    return breaker.Gate()


def _retry_or_give_up(contact: Contact, out: OutboundMessage, rest: list, exc: Exception, result: SendResult) -> bool:
    """After a failed attempt: True when the message goes back to the queue (with the ones
    after it, their attempt not counted) to be tried again later; False when it was out of
    attempts and is failed (visible to staff), so the next ones are tried now."""
    give_up = out.attempts >= settings.MESSAGE_MAX_ATTEMPTS
    _outbound_finish(out, status=OutboundMessage.Status.FAILED if give_up else OutboundMessage.Status.QUEUED, exc=exc)
    if give_up:
        logger.error("giving up on outbound %s to %s after %s attempts", out.pk, contact.masked, out.attempts)
        return False
    if rest:
        OutboundMessage.objects.filter(pk__in=[later.pk for later in rest]).update(
            status=OutboundMessage.Status.QUEUED, attempts=F("attempts") - 1
        )
    result.retry_in = min(2**out.attempts, 300)
    return True


# --- Secrets (one-time codes): never stored in the row ---------------------------------------

SECRET_MASK = "••••••"


class SecretExpiredError(Exception):
    """A message's secret parameter is no longer known (it outlived its lifetime): not sent."""


def _secret_key(outbound_id: int) -> str:
    return f"outbound-secret:{outbound_id}"


def secret_queue(*, contact: Contact, body: dict, secret: str, ttl_seconds: int, preview: str, sender: str):
    """Queue a template whose body parameters and URL-button parameter are ``secret`` (a one-time
    code): the row stores them masked, the cache keeps the value about as long as the code
    lives (``ttl_seconds``, plus a minute for a busy queue) and forgets it once sent, and the
    request to Meta gets it only when it is built."""
    masked = _secret_replaced(body, secret, SECRET_MASK)
    out = outbound_queue(contact=contact, body=masked, preview=preview, sender=sender)
    cache.set(_secret_key(out.pk), secret, timeout=max(ttl_seconds, 0) + 60)
    return out


def _has_secret(body: dict) -> bool:
    return body.get("type") == "template" and SECRET_MASK in json.dumps(body, ensure_ascii=False)


def _with_secrets(out: OutboundMessage, body: dict) -> dict:
    if not _has_secret(body):
        return body
    secret = cache.get(_secret_key(out.pk))
    if secret is None:
        raise SecretExpiredError("the one-time code expired before it could be sent")
    return _secret_replaced(body, SECRET_MASK, secret)


def _secret_replaced(body: dict, old: str, new: str) -> dict:
    def encoded(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)[1:-1]

    return json.loads(json.dumps(body, ensure_ascii=False).replace(encoded(old), encoded(new)))


def _with_media(client: whatsapp.CloudAPIClient, out: OutboundMessage) -> dict:
    """Upload an outbound document to Meta the first time it is sent; returns the body."""
    body = dict(out.body)
    if out.document_id and not body.get(body["type"], {}).get("id"):
        document = out.document
        with document.file.open("rb") as handle:
            media_id = client.upload_media(
                handle.read(), mime_type=document.mime_type, filename=document.original_name
            )
        body[body["type"]] = {**body.get(body["type"], {}), "id": media_id}
        OutboundMessage.objects.filter(pk=out.pk).update(body=body)
    return body


def _outbound_finish(out: OutboundMessage, *, status: str, exc: Exception) -> None:
    fields = {"body": _kept_body(out.body)} if status == OutboundMessage.Status.FAILED else {}
    OutboundMessage.objects.filter(pk=out.pk).update(
        status=status,
        error_code=getattr(exc, "code", None),
        error_title=str(exc)[:300],
        status_updated_at=timezone.now(),
        **fields,
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
    mark_read(last, typing=True, of=f"contact {contact_id}")
    return last


def mark_read(wa_message_id: str, *, typing: bool, of: str) -> None:
    client = whatsapp.get_client()
    if breaker.circuit_state(client.phone_number_id) is not None:
        return  # Meta is throttling the number or refusing the token: a receipt can wait
    try:
        client.mark_read(wa_message_id, typing=typing)
    except (whatsapp.WhatsAppError, requests.RequestException) as exc:
        logger.info("mark-as-read failed for a message of %s: %s", of, exc)
