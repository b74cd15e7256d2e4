"""The inbox worker's side of effects: each effect type has one applier, registered here.

Appliers run under the customer's lock, inside the savepoint of the message that caused
them, so a failure leaves nothing half-written. They only do quick database work; a slow
one (a certificate) queues a placeholder in the outbox and registers the preparation that
runs after the lock (``outbound_prepare``). Each returns what to tell the customer, if
anything, in order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consent.selectors import policy_by_id, rights_request_needing_info
from consent.services import consent_record, consent_revoke, rights_request_complete_info, rights_request_open
from conversations.bot import effects
from conversations.bot.csat import csat_survey_comment, csat_survey_rate, survey_by_id
from conversations.messaging import whatsapp
from conversations.messaging.models import Contact, ConversationSession, InboundMessage, OutboundMessage
from conversations.messaging.outbox import (
    enqueue_sending,
    outbound_queue,
    placeholder_queue,
    prepared_claim,
    prepared_done,
    secret_queue,
)
from conversations.messaging.replies import Reply, render
from credits.selectors import (
    PortfolioUnavailable,
    application_for_customer,
    application_local,
    contact_lead_application,
    customer_by_id,
)
from credits.services import application_lead_create, application_mirror_upsert, application_subscribe
from documents.pdf import paz_y_salvo_issue, verification_url
from escalations.models import Ticket
from escalations.services import ticket_close
from proalto.colombia import format_date_long, format_time
from proalto.masking import mask_phone
from proalto.metrics import IDENTITY_CODES_SENT

logger = logging.getLogger(__name__)
PORTFOLIO_UNAVAILABLE = "portfolio/unavailable.txt"


@dataclass
class Context:
    """Where an effect is applied: the locked session, its contact and the message being answered."""

    session: ConversationSession
    contact: Contact
    message: InboundMessage
    now: datetime
    held_ticket: Ticket | None = None
    prepare_after: bool = False  # set when a placeholder was queued: the worker prepares it after the lock


Applier = Callable[[object, Context], list[Reply]]
APPLIERS: dict[type, Applier] = {}


def applies(effect_type: type):
    def register(function: Applier) -> Applier:
        APPLIERS[effect_type] = function
        return function

    return register


def effect_apply(effect: effects.Effect, ctx: Context) -> list[Reply]:
    return APPLIERS[type(effect)](effect, ctx)


# --- Consent and Habeas Data ---------------------------------------------------------------


@applies(effects.ConsentRecord)
def _consent_record(effect: effects.ConsentRecord, ctx: Context) -> list[Reply]:
    consent_record(
        contact=ctx.contact,
        policy=policy_by_id(policy_id=effect.policy_id),
        text_shown=effect.text_shown,
        answer=effect.answer,
        inbound_message_id=ctx.message.pk,
        wa_message_id=ctx.message.wa_message_id,
        answered_at=effect.answered_at,
    )
    return []


def _said_with(template: str, request) -> list[Reply]:
    """A data-rights request's radicado and legal deadline, told to the holder."""
    return [Reply(template=template, context={"request": request, "due_date": format_date_long(request.due_date)})]


@applies(effects.ConsentRevoke)
def _consent_revoke(effect: effects.ConsentRevoke, ctx: Context) -> list[Reply]:
    _, request = consent_revoke(
        contact=ctx.contact,
        text_shown=effect.text_shown,
        inbound_message_id=ctx.message.pk,
        wa_message_id=ctx.message.wa_message_id,
        answered_at=effect.answered_at,
        customer=customer_by_id(customer_id=effect.customer_id),
        now=ctx.now,
    )
    return _said_with(effect.reply, request)


@applies(effects.RightsRequestOpen)
def _rights_request_open(effect: effects.RightsRequestOpen, ctx: Context) -> list[Reply]:
    request = rights_request_open(
        contact=ctx.contact,
        kind=effect.kind,
        detail=effect.detail,
        customer=customer_by_id(customer_id=effect.customer_id),
        now=ctx.now,
    )
    return _said_with(effect.reply, request)


@applies(effects.RightsRequestComplete)
def _rights_request_complete(effect: effects.RightsRequestComplete, ctx: Context) -> list[Reply]:
    request = rights_request_needing_info(contact=ctx.contact, request_id=effect.request_id)
    if request is None:  # resolved or withdrawn since the flow read it
        return [Reply(template="privacy/complete_gone.txt")]
    request = rights_request_complete_info(request=request, detail=effect.detail, now=ctx.now)
    return _said_with(effect.reply, request)


# --- Credits and identity ----------------------------------------------------------------


@applies(effects.ApplicationSubscribe)
def _application_subscribe(effect: effects.ApplicationSubscribe, ctx: Context) -> list[Reply]:
    if effect.customer_id is None:  # the chat's own lead
        application = contact_lead_application(contact=ctx.contact)
        if application is None or application.number != effect.number:
            return []
    else:
        customer = customer_by_id(customer_id=effect.customer_id)
        application = application_local(number=effect.number, customer=customer)
        if application is None:  # read from the core, not yet in the local copy
            try:
                record = application_for_customer(number=effect.number, customer=customer)
            except PortfolioUnavailable:
                return [Reply(template=PORTFOLIO_UNAVAILABLE)]
            if record is None:
                return []
            application = application_mirror_upsert(record=record, customer=customer)
    application_subscribe(application=application, contact=ctx.contact)
    return []


@applies(effects.ApplicationLeadCreate)
def _application_lead_create(effect: effects.ApplicationLeadCreate, ctx: Context) -> list[Reply]:
    application_lead_create(
        number=effect.number,
        contact=ctx.contact,
        cedula=effect.cedula,
        full_name=effect.full_name,
        details=effect.details,
        now=ctx.now,
    )
    return []


@applies(effects.CodeSend)
def _code_send(effect: effects.CodeSend, ctx: Context) -> list[Reply]:
    customer = customer_by_id(customer_id=effect.customer_id)
    # Always to the registered phone from ProAlto's data, whichever chat asked for it.
    target, _ = Contact.objects.get_or_create(wa_id=customer.phone)
    body = whatsapp.template_body(
        settings.WHATSAPP_OTP_TEMPLATE,
        language=settings.WHATSAPP_TEMPLATE_LANGUAGE,
        body_params=[effect.code],
        url_button_param=effect.code,
    )
    # Neither the row nor the preview staff see holds the code; the preview says who asked
    # for it and when, so an advisor reading the owner's chat knows where it came from.
    asked_from = "este mismo chat" if ctx.contact.wa_id == customer.phone else f"el WhatsApp {ctx.contact.masked}"
    when = f"{format_date_long(ctx.now)}, {format_time(ctx.now)}"
    secret_queue(
        contact=target,
        body=body,
        secret=effect.code,
        ttl_seconds=settings.IDENTITY_OTP_SECONDS,
        preview=f"[Código de verificación ({settings.WHATSAPP_OTP_TEMPLATE}) pedido desde {asked_from} el {when}]",
        sender=OutboundMessage.Sender.SYSTEM,
    )
    if ctx.contact.wa_id != customer.phone:
        # Someone else asked for the owner's code: the owner is told who (masked) and when,
        # right beside the code, so a code they did not ask for is not passed on.
        notice = whatsapp.template_body(
            settings.WHATSAPP_OTP_NOTICE_TEMPLATE,
            language=settings.WHATSAPP_TEMPLATE_LANGUAGE,
            body_params=[ctx.contact.masked, format_time(ctx.now)],
        )
        preview = render(
            "identity/code_notice.txt", {"chat": ctx.contact.masked, "time": format_time(ctx.now)}
        ).preview
        outbound_queue(contact=target, body=notice, preview=preview, sender=OutboundMessage.Sender.SYSTEM)
    IDENTITY_CODES_SENT.inc()
    logger.info("identity code sent to %s for a chat from %s", mask_phone(customer.phone), ctx.contact.masked)
    return []


@applies(effects.PhoneRequest)
def _phone_request(effect: effects.PhoneRequest, ctx: Context) -> list[Reply]:
    body = whatsapp.template_body(
        settings.WHATSAPP_SHARE_NUMBER_TEMPLATE, language=settings.WHATSAPP_TEMPLATE_LANGUAGE
    )
    # The template's approved text, kept as copy so the transcript shows what the customer read.
    preview = render("identity/share_number_template.txt").preview
    outbound_queue(contact=ctx.contact, body=body, preview=preview, sender=OutboundMessage.Sender.BOT)
    return []


# --- Certificates: prepared after the lock ------------------------------------------------

CERTIFICATE = "paz_y_salvo"


@applies(effects.CertificateIssue)
def _certificate_issue(effect: effects.CertificateIssue, ctx: Context) -> list[Reply]:
    placeholder_queue(
        contact=ctx.contact,
        message=ctx.message,
        preparation={"kind": CERTIFICATE, "customer_id": effect.customer_id, "caption": effect.caption},
    )
    ctx.prepare_after = True
    return []


def outbound_prepare_pending(*, contact_id: int) -> int:
    """Prepare the contact's placeholders (render and store what they carry), outside any
    lock; each becomes a queued message that releases the replies behind it. Returns how
    many were prepared."""
    prepared = 0
    for out in prepared_claim(contact_id=contact_id):
        preparation = out.body.get("_prepare", {})
        try:
            body, preview, document_id = _prepare_certificate(contact_id=contact_id, preparation=preparation)
        except Exception as exc:
            logger.exception("preparing outbound %s failed", out.pk)
            if out.attempts < settings.MESSAGE_MAX_ATTEMPTS:
                prepared_done(out=out, retry_error=f"{type(exc).__name__}: {exc}")
                continue
            rendered = render("paz_y_salvo/certificate_failed.txt")
            body, preview, document_id = rendered.body, rendered.preview, None
        prepared_done(out=out, body=body, preview=preview, document_id=document_id)
        prepared += 1
    if prepared:
        transaction.on_commit(lambda: enqueue_sending(contact_id))
    return prepared


def _prepare_certificate(*, contact_id: int, preparation: dict) -> tuple[dict, str, int]:
    customer = customer_by_id(customer_id=preparation["customer_id"])
    certificate = paz_y_salvo_issue(customer=customer, contact=Contact.objects.get(pk=contact_id), now=timezone.now())
    code = certificate.verification_code
    caption = render(preparation["caption"], {"code": code, "url": verification_url(code)}).preview
    document = certificate.document
    body = {"type": "document", "document": {"filename": document.original_name, "caption": caption}}
    return body, caption, document.pk


# --- Surveys and tickets ------------------------------------------------------------------


@applies(effects.SurveyRate)
def _survey_rate(effect: effects.SurveyRate, ctx: Context) -> list[Reply]:
    survey = survey_by_id(survey_id=effect.survey_id, contact=ctx.contact)
    if survey is not None:
        csat_survey_rate(survey=survey, rating=effect.rating, now=ctx.now)
    return []


@applies(effects.SurveyComment)
def _survey_comment(effect: effects.SurveyComment, ctx: Context) -> list[Reply]:
    survey = survey_by_id(survey_id=effect.survey_id, contact=ctx.contact)
    if survey is not None:
        csat_survey_comment(survey=survey, comment=effect.comment)
    return []


@applies(effects.TicketRelease)
def _ticket_release(effect: effects.TicketRelease, ctx: Context) -> list[Reply]:
    if ctx.held_ticket is not None:
        ticket_close(ticket=ctx.held_ticket, by=None, notify=False)
    return []
