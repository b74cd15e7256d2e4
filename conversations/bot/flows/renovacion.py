"""Renovación: after identity validation, check the renewal rules (credits.eligibility),
present the pre-approved offer, receive the last desprendibles de pago in the chat and hand
the case to a commercial advisor (a "renewal" ticket listing the offer and the documents).

Not eligible: say which rule, kindly, and offer an advisor. A question about the offer on
screen ("¿y la cuota?", "¿a cuántos meses?") is answered from the offer's own figures and the
offer stays open; only a clear request for another service leaves it.
"""

import math
import re
from decimal import Decimal

from django.conf import settings

from conversations.bot.flows import Flow, register
from conversations.bot.flows.intake import advisor_offer_answer, document_receive, words, yes_no
from credits import eligibility
from credits.selectors import customer_credits
from proalto.colombia import effective_annual_rate, format_cop, format_percent

OFFER = "renovacion/offer.txt"
OFFER_QUESTION = "renovacion/offer_question.txt"
# What a question about the offer on screen asks, by the words it uses (accent-free, lower
# case). Read in this order: "¿cuántas cuotas?" is the term, "¿y la cuota?" the installment.
# "¿Cuánto debo?" names none of them: that is the balance, another service.
OFFER_TOPICS = (
    ("term", re.compile(r"\b(plazo\w*|mes(es)?|anos?|cuantas cuotas|cuanto tiempo)\b")),
    ("rate", re.compile(r"\b(tasa\w*|interes\w*|porcentaje)\b")),
    ("installment", re.compile(r"\b(cuota\w*|mensual\w*|al mes|pagaria\w*|descontaria\w*|descuento)\b")),
    (
        "additional",
        re.compile(
            r"\b(deposit\w*|consign\w*|desembols\w*|recibir\w*|recibiria\w*|adicional\w*|extra|"
            r"me (dan|darian|llega\w*|queda\w* libre))\b"
        ),
    ),
    ("amount", re.compile(r"\b(monto\w*|total|prest\w*|valor)\b")),
    # The offer as a whole, or the renewal named again while it is on screen: all of it again.
    ("offer", re.compile(r"\b(oferta|condiciones|explica\w*|detalle\w*|renova\w*|renueva\w*)\b")),
)


@register
class RenewalFlow(Flow):
    name = "renovacion"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "confirm": "Confirma la oferta de renovación",
        "documents": "Envía los documentos",
        "advisor": "No puede renovar: ofrece un asesor",
    }
    intents = ("renovacion",)
    media_steps = ("documents",)
    # The offer's step reads questions about the offer as well as yes/no: fraud, a complaint
    # or a person asked for is looked for first (by the engine), so none is read as a question.
    open_text_steps = ("confirm",)

    def enter_start(self, turn):
        turn.goto_validated("check")

    def enter_check(self, turn):
        customer = turn.customer
        if customer is None:  # validation did not finish: nothing is said about credits
            turn.end(resolved=False)
            return
        rules = eligibility.renewal_rules()
        result = eligibility.renewal_eligibility(customer_credits(customer=customer), rules)
        if not result.eligible:
            turn.say("renovacion/not_eligible.txt", **_why_not(result, rules))
            turn.goto("advisor")
            return
        offer = result.offer
        turn.data["offer"] = {
            "credit": offer.credit_number,
            "new_amount": format_cop(offer.new_amount),
            "balance": format_cop(offer.balance),
            "additional_amount": format_cop(offer.additional_amount),
            "installment": format_cop(offer.installment),
            "term_months": offer.term_months,
            "monthly_rate": str(offer.monthly_rate),
        }
        turn.say(OFFER, name=customer.full_name.split(" ")[0], **_offer_figures(turn.data["offer"]))
        turn.goto("confirm")

    def on_confirm(self, turn):
        answer = yes_no(turn.incoming, yes=("renew_yes",), no=("renew_no",))
        topic = offer_question(turn.incoming) if answer is None else None
        if topic is not None and turn.data.get("offer"):
            # Answered from the figures shown; the offer and its buttons stay.
            turn.say(OFFER_QUESTION, topic=topic, **_offer_figures(turn.data["offer"]))
            return
        if answer is None:
            turn.say("renovacion/confirm_again.txt")
            turn.not_understood()
            return
        if not answer:
            turn.say("renovacion/declined.txt")
            turn.end()
            return
        turn.goto("documents")

    def enter_documents(self, turn):
        turn.data["documents"] = []
        turn.say("renovacion/ask_documents.txt", required=settings.RENEWAL_DOCUMENTS_REQUIRED)

    def on_documents(self, turn):
        if document_receive(turn, copy="renovacion", minimum=settings.RENEWAL_DOCUMENTS_REQUIRED) == "done":
            turn.goto("finish")

    def enter_finish(self, turn):
        documents = list(turn.data.get("documents", []))
        # One closing message: the ticket's own (escalations/opened.txt) says what happens next.
        turn.escalate("renewal", offer=turn.data.get("offer", {}), documents=documents)
        turn.end(offer_more=False)

    def on_advisor(self, turn):
        advisor_offer_answer(
            turn, no="renew_advisor_no", again="renovacion/advisor_again.txt", declined="renovacion/not_now.txt"
        )


def offer_question(incoming) -> str | None:
    """What a typed question about the offer on screen asks ("term", "rate", "installment",
    "additional", "amount", or "offer": all of it), or None when it names none of these."""
    if incoming is None or incoming.type != "text":
        return None
    text = words(incoming)
    return next((topic for topic, pattern in OFFER_TOPICS if pattern.search(text)), None)


def _offer_figures(offer: dict) -> dict:
    """The offer as its templates show it: the stored figures and the rate in both forms."""
    monthly = Decimal(offer["monthly_rate"])
    return {
        **offer,
        "monthly_rate_text": format_percent(monthly),
        "annual_rate_text": format_percent(effective_annual_rate(monthly)),
    }


def _why_not(result: eligibility.Eligibility, rules: eligibility.RenewalRules) -> dict:
    context = {"reason": result.reason}
    credit = result.credit
    if credit is not None:
        needed = math.ceil(rules.min_paid_share * credit.installments_total)
        context.update(
            credit=credit.number,
            paid=credit.installments_paid,
            total=credit.installments_total,
            min_percent=f"{rules.min_paid_share * 100:.0f}",
            missing=max(0, needed - credit.installments_paid),
        )
    return context
