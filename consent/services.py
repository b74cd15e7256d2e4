"""Habeas Data writes: consent answers (append-only proof), revocation, and the life of a
data-rights request (Ley 1581 de 2012 arts. 14-15, Decreto 1377 de 2013, Ley 1266 de 2008).

Legal terms, counted in Colombian business days from the day after receipt:

- consulta (knowing what data we hold): 10 días hábiles, extendable once by 5;
- reclamo (update, rectify, delete, revoke): 15 días hábiles, extendable once by 8;
- an incomplete reclamo waits for the missing information; two months without it and
  the holder is deemed to have withdrawn it (desistimiento).

The customer is told on WhatsApp whenever a deadline moves or an answer is ready.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consent.models import ConsentRecord, DataRightsRequest, PolicyVersion
from consent.selectors import (
    DISPUTING_KINDS,
    contact_has_consent,
    contact_last_consent,
    customer_has_open_credit_reclamo,
    policy_current,
)
from conversations.messaging.erasure import contact_messages_erase, contacts_idle_since
from conversations.messaging.lock import session_lock
from conversations.messaging.models import OutboundMessage
from conversations.messaging.outbox import outbound_queue
from conversations.messaging.replies import render
from conversations.messaging.window import proactive_body, template_param
from escalations.audit import AuditAction
from escalations.services import audit_record
from proalto.celery import enqueue_or_defer
from proalto.colombia import add_business_days, format_date_long

logger = logging.getLogger(__name__)

Kind = DataRightsRequest.Kind
Category = DataRightsRequest.Category
Status = DataRightsRequest.Status

# Business days to answer, and the one extension allowed (Ley 1581 arts. 14 and 15).
TERMS = {Category.CONSULTA: 10, Category.RECLAMO: 15}
EXTENSIONS = {Category.CONSULTA: 5, Category.RECLAMO: 8}
# Ley 1581 art. 15: two months without the missing information = withdrawn.
WITHDRAW_AFTER = relativedelta(months=2)
# Kinds that dispute the data itself: while open, credit reports carry "reclamo en trámite"
# (Ley 1266 art. 16). A revocation does not dispute any data, so it does not.


class RightsRequestError(ValueError):
    """A request cannot change that way (already extended, already closed, ...)."""


def category_for(kind: str) -> str:
    return Category.CONSULTA if kind == Kind.CONOCER else Category.RECLAMO


def rights_due_date(*, category: str, received: date) -> date:
    """The legal deadline for a request received (or completed) on `received`."""
    return add_business_days(received, TERMS[category])


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# --- Consent ------------------------------------------------------------------------------


def consent_record(
    *,
    contact,
    policy: PolicyVersion,
    text_shown: str,
    answer: str,
    inbound_message_id: int | None,
    wa_message_id: str,
    answered_at,
) -> ConsentRecord:
    return ConsentRecord.objects.create(
        contact=contact,
        wa_id=contact.identifier,
        policy_version=policy,
        text_shown=text_shown,
        text_sha256=hashlib.sha256(text_shown.encode()).hexdigest(),
        answer=answer,
        inbound_message_id=inbound_message_id,
        wa_message_id=wa_message_id,
        answered_at=answered_at,
    )


@transaction.atomic
def policy_publish(*, policy: PolicyVersion, by=None, now=None) -> PolicyVersion:
    """Put a draft PTI version in force: from the next message on, the bot asks everyone for
    consent again (consent.selectors compares each answer's version with this one).

    A published version is the proof of what people accepted, so it never changes again.
    """
    policy = PolicyVersion.objects.select_for_update().get(pk=policy.pk)
    if policy.published_at is not None:
        raise ValueError(f"La versión {policy.version} ya está publicada.")
    if not policy.consent_text.strip() or not policy.policy_url:
        raise ValueError(f"La versión {policy.version} necesita el texto de autorización y el enlace a la política.")
    current = policy_current()
    now = now or timezone.now()
    if current is not None and current.published_at >= now:
        raise ValueError(
            f"La versión {current.version} tiene una fecha de publicación posterior; revísala antes de publicar."
        )
    policy.published_at = now
    policy.save(update_fields=["published_at"])
    if by is not None:
        audit_record(user=by, action=AuditAction.PUBLISH_POLICY, obj=policy, fields=["policy_version"])
    logger.info("PTI %s published by %s", policy.version, getattr(by, "pk", "system"))
    return policy


@transaction.atomic
def consent_revoke(
    *,
    contact,
    text_shown: str,
    inbound_message_id: int | None,
    wa_message_id: str,
    answered_at,
    customer=None,
    now=None,
) -> tuple[ConsentRecord, DataRightsRequest]:
    """Revoke the authorisation at once, and open a reclamo so compliance can confirm it.

    The revocation is recorded against the version the user had accepted (or the one in
    force); the proof of the earlier acceptance stays, as the law requires.
    """
    last = contact_last_consent(contact=contact)
    policy = last.policy_version if last is not None else policy_current()
    record = consent_record(
        contact=contact,
        policy=policy,
        text_shown=text_shown,
        answer=ConsentRecord.Answer.REVOKED,
        inbound_message_id=inbound_message_id,
        wa_message_id=wa_message_id,
        answered_at=answered_at or now or timezone.now(),
    )
    request = rights_request_open(
        contact=contact, kind=Kind.REVOCAR, detail=text_shown, customer=customer, consent_record=record, now=now
    )
    return record, request


# --- Data-rights requests -------------------------------------------------------------------


@transaction.atomic
def rights_request_open(
    *, contact, kind: str, detail: str = "", customer=None, consent_record: ConsentRecord | None = None, now=None
) -> DataRightsRequest:
    """Register (radicar) a request and start its legal term."""
    if kind not in Kind.values:
        raise RightsRequestError(f"unknown kind {kind!r}")
    now = now or timezone.now()
    category = category_for(kind)
    due = rights_due_date(category=category, received=_local_date(now))
    request = DataRightsRequest.objects.create(
        contact=contact,
        customer=customer,
        kind=kind,
        category=category,
        detail=detail.strip(),
        received_at=now,
        due_date=due,
        original_due_date=due,
        consent_record=consent_record,
    )
    if customer is not None and kind in DISPUTING_KINDS and not customer.reclamo_en_tramite:
        customer.reclamo_en_tramite = True
        customer.save(update_fields=["reclamo_en_tramite", "updated_at"])
    logger.info("habeas data %s opened (%s) for %s, due %s", request.number, kind, contact.masked, due)
    # Compliance hears of it by e-mail (consent/alerts.py), after the commit.
    transaction.on_commit(lambda: enqueue_or_defer("consent.rights_request_alert_new", request.pk))
    return request


def _locked(request: DataRightsRequest) -> DataRightsRequest:
    return (
        DataRightsRequest.objects.select_for_update(of=("self",))
        .select_related("contact", "customer")
        .get(pk=request.pk)
    )


def _locked_open(request: DataRightsRequest) -> DataRightsRequest:
    """The request's row, locked; refused when it is already answered or withdrawn."""
    request = _locked(request)
    if not request.is_open:
        raise RightsRequestError("La solicitud ya está cerrada.")
    return request


@transaction.atomic
def rights_request_extend(*, request: DataRightsRequest, by, reason: str = "", now=None) -> DataRightsRequest:
    """Extend the term once (5 business days for a consulta, 8 for a reclamo) and tell the user.

    The new deadline counts from the original one, as the law says ("hasta ... días
    hábiles siguientes al vencimiento del primer término").
    """
    request = _locked_open(request)
    if request.extended:
        raise RightsRequestError(
            "El término de esta solicitud ya se prorrogó una vez; la ley no permite otra prórroga."
        )
    now = now or timezone.now()
    request.due_date = add_business_days(request.original_due_date, EXTENSIONS[request.category])
    request.extended = True
    request.extended_at = now
    request.extended_by = by
    request.status = Status.EXTENDED
    rendered = _notify(request, "privacy/notice_extended.txt", reason=reason.strip(), now=now)
    request.extension_notice = rendered
    request.save()
    return request


@transaction.atomic
def rights_request_resolve(*, request: DataRightsRequest, answer: str, by, now=None) -> DataRightsRequest:
    """Record the answer, tell the customer on WhatsApp, and lift "reclamo en trámite"."""
    answer = (answer or "").strip()
    if not answer:
        raise RightsRequestError("Escribe la respuesta que se enviará al titular.")
    request = _locked_open(request)
    now = now or timezone.now()
    request.status = Status.RESOLVED
    request.resolution = answer
    request.resolved_at = now
    request.resolved_by = by
    request.save()
    _notify(request, "privacy/notice_resolved.txt", answer=answer, now=now)
    _clear_reclamo_mark(request)
    return request


@transaction.atomic
def rights_request_ask_info(*, request: DataRightsRequest, missing: str, by=None, now=None) -> DataRightsRequest:
    """An incomplete reclamo: ask the holder for what is missing; the two-month clock starts."""
    missing = (missing or "").strip()
    if not missing:
        raise RightsRequestError("Indica qué información falta.")
    request = _locked_open(request)
    if request.category != Category.RECLAMO:
        raise RightsRequestError("Solo un reclamo puede quedar pendiente de información.")
    now = now or timezone.now()
    request.status = Status.NEEDS_INFO
    request.needs_info_since = now
    request.info_requested = missing
    request.save()
    _notify(request, "privacy/notice_needs_info.txt", missing=missing, now=now)
    logger.info("habeas data %s waits for information (asked by %s)", request.number, getattr(by, "pk", "system"))
    return request


@transaction.atomic
def rights_request_complete_info(*, request: DataRightsRequest, detail: str, now=None) -> DataRightsRequest:
    """The holder sent what was missing: the 15-day term runs again from today."""
    request = _locked(request)
    if request.status != Status.NEEDS_INFO:
        raise RightsRequestError("La solicitud no está esperando información.")
    now = now or timezone.now()
    stamp = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    request.detail = f"{request.detail}\n\n[{stamp}] {detail.strip()}".strip()
    request.status = Status.IN_PROGRESS
    request.needs_info_since = None
    due = rights_due_date(category=request.category, received=_local_date(now))
    request.original_due_date = due
    request.due_date = add_business_days(due, EXTENSIONS[request.category]) if request.extended else due
    request.save()
    return request


def rights_request_withdraw_stale(*, now=None) -> int:
    """Close as withdrawn every reclamo that waited two months for missing information."""
    now = now or timezone.now()
    cutoff = now - WITHDRAW_AFTER
    count = 0
    stale = DataRightsRequest.objects.filter(status=Status.NEEDS_INFO, needs_info_since__lte=cutoff).values_list(
        "pk", flat=True
    )
    for pk in list(stale):
        with transaction.atomic():
            request = (
                DataRightsRequest.objects.select_for_update(of=("self",))
                .select_related("contact", "customer")
                .get(pk=pk)
            )
            if request.status != Status.NEEDS_INFO or request.needs_info_since > cutoff:
                continue
            request.status = Status.WITHDRAWN
            request.withdrawn_at = now
            request.save()
            _notify(request, "privacy/notice_withdrawn.txt", now=now)
            _clear_reclamo_mark(request)
            count += 1
    return count


def _clear_reclamo_mark(request: DataRightsRequest) -> None:
    customer = request.customer
    if customer is None or not customer.reclamo_en_tramite:
        return
    if not customer_has_open_credit_reclamo(customer=customer):
        customer.reclamo_en_tramite = False
        customer.save(update_fields=["reclamo_en_tramite", "updated_at"])


def _notify(request: DataRightsRequest, template: str, *, now, **context) -> str:
    """Tell the holder on WhatsApp; outside Meta's 24-hour window, as an approved template.

    Returns the text the holder reads (kept as proof of the notice).
    """
    context = {"request": request, "due_date": format_date_long(request.due_date), **context}
    rendered = render(template, context)
    contact = request.contact
    body = proactive_body(
        contact=contact,
        rendered=rendered,
        at=now,
        template=settings.WHATSAPP_HABEAS_DATA_TEMPLATE,
        params=[request.number, template_param(rendered.preview)],
    )
    outbound_queue(contact=contact, body=body, preview=rendered.preview, sender=OutboundMessage.Sender.SYSTEM)
    return rendered.preview


def unconsented_messages_purge(*, now=None) -> int:
    """Empty the messages of contacts who declined or never answered the authorisation, once
    their last message is older than UNCONSENTED_RETENTION_DAYS: without consent ProAlto has
    no basis to keep them (what the decline copy promises). Returns how many contacts."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNCONSENTED_RETENTION_DAYS)
    consented = ConsentRecord.objects.filter(answer=ConsentRecord.Answer.ACCEPTED).values("contact_id")
    purged = 0
    for contact in contacts_idle_since(cutoff=cutoff).exclude(pk__in=consented):
        if contact_has_consent(contact=contact):  # accepted, revoked and accepted again: kept
            continue
        with transaction.atomic():
            session_lock(contact.pk)
            inbound, outbound = contact_messages_erase(contact=contact, placeholder=PURGED)
        purged += bool(inbound or outbound)
    if purged:
        logger.info(
            "messages of %s contact(s) without consent emptied after %s days",
            purged,
            settings.UNCONSENTED_RETENTION_DAYS,
        )
    return purged


PURGED = "[borrado: sin autorización]"
