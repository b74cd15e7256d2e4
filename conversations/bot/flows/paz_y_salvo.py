"""Paz y salvo: when every credit of the validated customer is cancelled, the certificate
(PDF with a public verification code) is sent to the chat; otherwise what is pending.

A paz y salvo is a legal certificate: it is issued only from the core read live or from a
local copy whose cut-off is at most PAZ_Y_SALVO_MAX_AGE_HOURS old. Otherwise the customer
is told it will be checked and an advisor gets a ticket.
"""

from datetime import timedelta

from django.conf import settings

from conversations.bot import effects
from conversations.bot.flows import Flow, register
from conversations.bot.flows.saldo import cutoff_text
from credits.selectors import customer_credits, portfolio_live
from proalto.colombia import format_cop
from proalto.text import simplify

PENDING = "paz_y_salvo/pending.txt"
DETAIL_WORDS = {"si", "ver detalle", "detalle", "ver el detalle", "1", "si por favor", "claro"}
NO_WORDS = {"no", "no gracias", "2", "gracias", "asi esta bien"}


@register
class PazYSalvoFlow(Flow):
    name = "paz_y_salvo"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "pending": "Tiene saldo pendiente: elige qué sigue",
    }
    intents = ("paz_y_salvo",)

    def enter_start(self, turn):
        turn.goto_validated("check")

    def enter_check(self, turn):
        customer = turn.customer
        if customer is None:
            turn.end(resolved=False)
            return
        credits = customer_credits(customer=customer)
        if not credits:
            turn.say("paz_y_salvo/no_credits.txt")
            turn.end()
            return
        pending = pending_summary(credits)
        if pending:
            turn.say(PENDING, pending=pending, cutoff=cutoff_text(credits.as_of))
            turn.goto("pending")
            return
        if not certificate_fresh(credits.as_of, now=turn.now):
            turn.say("paz_y_salvo/to_verify.txt", cutoff=cutoff_text(credits.as_of))
            turn.escalate("paz_y_salvo_check", cutoff=cutoff_text(credits.as_of) or "sin datos")
            turn.end(offer_more=False, resolved=False)
            return
        # Rendered and stored after the lock; sent here, in this place of the answer.
        turn.effect(effects.CertificateIssue(customer_id=customer.pk))
        turn.end()

    def on_pending(self, turn):
        incoming = turn.incoming
        typed = simplify(incoming.text)
        titles = {simplify(title): option for option, title in turn.options(PENDING, pending=[])}
        choice = incoming.choice or titles.get(typed, "")
        if choice == "saldo_detalle" or typed in DETAIL_WORDS:
            turn.goto_validated("detail", flow="saldo")
        elif choice == "no_gracias" or typed in NO_WORDS:
            turn.end()
        else:
            turn.say("paz_y_salvo/pending_reask.txt")
            turn.not_understood()


def pending_summary(credits) -> list[dict]:
    """The credits that keep a paz y salvo from being issued, as the customer reads them."""
    return [
        {"number": c.number, "pagaduria": c.pagaduria, "balance": format_cop(c.balance)}
        for c in credits
        if c.balance > 0
    ]


def certificate_fresh(as_of, *, now) -> bool:
    """Read live (None from the core), or a local copy young enough for a certificate."""
    if as_of is None:
        return portfolio_live()
    return now - as_of <= timedelta(hours=settings.PAZ_Y_SALVO_MAX_AGE_HOURS)
