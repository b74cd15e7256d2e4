"""Paz y salvo: when every credit of the validated customer is cancelled, the certificate
(PDF with a public verification code) is sent to the chat; otherwise what is pending."""

from conversations.bot import effects
from conversations.bot.flows import Flow, register
from credits.selectors import customer_credits
from proalto.colombia import format_cop
from proalto.text import simplify

PENDING = "paz_y_salvo/pending.txt"
DETAIL_WORDS = {"si", "ver detalle", "detalle", "ver el detalle", "1", "si por favor", "claro"}
NO_WORDS = {"no", "no gracias", "2", "gracias", "asi esta bien"}


@register
class PazYSalvoFlow(Flow):
    name = "paz_y_salvo"
    intents = ("paz_y_salvo",)

    def enter_start(self, turn):
        turn.goto_validated("check")

    def enter_check(self, turn):
        customer = turn.customer
        if customer is None:
            turn.end(resolved=False)
            return
        credits = list(customer_credits(customer=customer))
        if not credits:
            turn.say("paz_y_salvo/no_credits.txt")
            turn.end()
            return
        pending = [
            {"number": c.number, "pagaduria": c.pagaduria, "balance": format_cop(c.balance)}
            for c in credits
            if c.balance > 0
        ]
        if pending:
            turn.say(PENDING, pending=pending)
            turn.goto("pending")
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
