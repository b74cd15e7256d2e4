"""POST /api/v1/lookup/: what ManyChat's External Request asks for a customer.

Identity is the bot's own two-factor rule: the cédula and its issue date, and the
registered mobile (ManyChat knows the subscriber's phone, as Meta vouches for the chat's
in the bot). Failures and locks are the bot's counters (credits.identity), keyed per number
and per cédula, so a lock started in either place holds in both. Every identity failure
(unknown cédula, wrong date, another number) does the same work and gets the same answer.

The answers reuse the flows' selectors, context builders and copy templates, so `texto` is
what the bot itself would say.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from conversations.bot.flows.estado_solicitud import STATUS, status_context
from conversations.bot.flows.identidad import LOCKED, MISMATCH, locked_context
from conversations.bot.flows.paz_y_salvo import PENDING, certificate_fresh, pending_summary
from conversations.bot.flows.saldo import credit_summary, cutoff_text
from conversations.messaging.models import Contact
from credits import identity
from credits.models import Application
from credits.notifications import STAGE_NAME
from credits.selectors import (
    PortfolioUnavailable,
    customer_active_credits,
    customer_applications,
    customer_by_cedula,
    customer_credits,
)
from documents.pdf import paz_y_salvo_issue, verification_url
from escalations.services import ticket_open
from proalto.masking import mask_cedula, mask_phone

from .links import document_link
from .texts import text_of

logger = logging.getLogger(__name__)

SALDO, ESTADO, PAZ_Y_SALVO = "saldo", "estado_solicitud", "paz_y_salvo"
CONSULTAS = (SALDO, ESTADO, PAZ_Y_SALVO)


@dataclass
class Answer:
    body: dict
    outcome: str
    summary: str = ""


def lookup_answer(*, cedula: str, issued: date, phone: str, consulta: str, now: datetime) -> Answer:
    """The JSON body for one lookup (always 200: failures are answers ManyChat shows)."""
    summary = f"cédula {mask_cedula(cedula)}, celular {mask_phone(phone)}, consulta {consulta}"
    try:
        customer, lock = identity_check(cedula=cedula, issued=issued, phone=phone, now=now)
        if lock is not None:
            logger.warning(
                "API lookup: identity validation locked (cédula %s, %s), lock %s in 24 h",
                mask_cedula(cedula),
                mask_phone(phone),
                lock.recent_locks,
            )
            if lock.recent_locks >= 2:  # as in the chat: repeated locks go to an advisor
                contact, _ = Contact.objects.get_or_create(wa_id=phone)
                ticket_open(
                    contact=contact,
                    reason="locked_validation",
                    details={"cedula": mask_cedula(cedula), "locks_24h": lock.recent_locks, "origin": "API"},
                    now=now,
                )
            texto = text_of(LOCKED, **locked_context(lock, now=now))
            return Answer({"ok": False, "error": "bloqueado", "texto": texto}, "bloqueado", summary)
        if customer is None:
            return Answer(
                {"ok": False, "error": "validacion_fallida", "texto": text_of(MISMATCH)}, "validacion_fallida", summary
            )
        answer = {SALDO: _saldo, ESTADO: _estado, PAZ_Y_SALVO: _paz_y_salvo}[consulta](customer, now=now)
    except PortfolioUnavailable:
        texto = text_of("portfolio/unavailable.txt")
        return Answer({"ok": False, "error": "no_disponible", "texto": texto}, "no_disponible", summary)
    body = {"ok": True, "consulta": consulta, "cliente": {"nombre": customer.full_name.split(" ")[0]}, **answer}
    return Answer(body, "ok", summary)


def identity_check(*, cedula: str, issued: date, phone: str, now: datetime):
    """(customer, None) when the three factors match; (None, lock) when locked (now or
    already); (None, None) for any other failure. The same steps run for every failure."""
    customer = customer_by_cedula(cedula=cedula)
    registered = customer.phone if customer is not None else "0" * len(phone)
    from_registered = hmac.compare_digest(registered.encode(), phone.encode()) and customer is not None
    # As in the chat: the owner on their registered phone is never locked out by failures
    # others made on their cédula; their own attempts count against their number only.
    subjects = identity.subject_keys(wa_id=phone, cedula=None if from_registered else cedula)
    lock, failed_before = identity.standing(subjects=subjects, now=now)
    if lock is not None:
        return None, lock
    date_ok = identity.dates_match(customer.cedula_issue_date if customer is not None else None, issued)
    if date_ok and from_registered:
        if failed_before:
            identity.failures_clear(subjects=subjects)
        return customer, None
    return None, identity.failure_record(subjects=subjects, now=now)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _pesos(amount) -> int:
    return int(round(amount))


def _corte(as_of, now) -> str:
    """When the data were taken: the local copy's cut-off, or now when read live."""
    return (as_of or now).isoformat()


def _saldo(customer, *, now) -> dict:
    reading = customer_active_credits(customer=customer)
    summaries = [credit_summary(credit) for credit in reading]
    template = "saldo/detail.txt" if summaries else "saldo/none.txt"
    return {
        "creditos": [
            {
                "numero": credit.number,
                "pagaduria": credit.pagaduria,
                "saldo": _pesos(credit.balance),
                "cuotas_pagadas": credit.installments_paid,
                "cuotas_total": credit.installments_total,
                "valor_cuota": _pesos(credit.installment_amount),
                "proximo_descuento": _iso(credit.next_deduction_date),
                "en_mora": credit.status == "arrears",
            }
            for credit in reading
        ],
        "corte": _corte(reading.as_of, now),
        "texto": text_of(template, credits=summaries, cutoff=cutoff_text(reading.as_of)),
    }


def _estado(customer, *, now) -> dict:
    applications = customer_applications(customer=customer)
    body = {
        "solicitudes": [
            {
                "numero": application.number,
                "etapa": application.stage,
                "etapa_texto": text_of(STAGE_NAME, stage=application.stage),
                "actualizado": _iso(application.updated_at),
            }
            for application in applications
        ],
        "corte": _corte(applications.as_of, now),
    }
    if not applications:
        return {**body, "texto": text_of("estado_solicitud/no_application.txt")}
    latest = applications[0]
    # A lead is the bot's own record, not a copy of the core's: no cut-off to state (as the flow).
    as_of = None if latest.origin == Application.Origin.WHATSAPP else applications.as_of
    context = status_context(
        number=latest.number,
        stage=latest.stage,
        updated_at=latest.updated_at,
        as_of=as_of,
        now=timezone.now(),
        offer_notify=False,  # a notice is subscribed to in the chat, not through the API
        subscribed=False,
    )
    return {**body, "texto": text_of(STATUS, **context)}


def _paz_y_salvo(customer, *, now) -> dict:
    credits = customer_credits(customer=customer)
    corte = _corte(credits.as_of, now)
    if not credits:
        return _not_available("sin_creditos", corte, text_of("paz_y_salvo/no_credits.txt"))
    pending = pending_summary(credits)
    if pending:
        return _not_available(
            "saldo_pendiente", corte, text_of(PENDING, pending=pending, cutoff=cutoff_text(credits.as_of))
        )
    if not certificate_fresh(credits.as_of, now=now):
        # As in the chat: an advisor verifies it and writes to the customer's registered phone.
        contact, _ = Contact.objects.get_or_create(wa_id=customer.phone)
        ticket_open(
            contact=contact,
            reason="paz_y_salvo_check",
            customer=customer,
            details={"cutoff": cutoff_text(credits.as_of) or "sin datos", "origin": "API (ManyChat)"},
            now=now,
        )
        texto = text_of("paz_y_salvo/to_verify.txt", cutoff=cutoff_text(credits.as_of))
        return _not_available("verificacion_pendiente", corte, texto)
    with transaction.atomic():
        certificate = paz_y_salvo_issue(customer=customer, contact=None, now=now)
    code = certificate.verification_code
    verification = verification_url(code)
    return {
        "paz_y_salvo": {
            "disponible": True,
            "codigo": code,
            "url": document_link(document_id=certificate.document_id),
            "verificacion": verification,
        },
        "corte": corte,
        "texto": text_of("paz_y_salvo/certificate.txt", code=code, url=verification),
    }


def _not_available(motivo: str, corte: str, texto: str) -> dict:
    return {"paz_y_salvo": {"disponible": False, "motivo": motivo}, "corte": corte, "texto": texto}
