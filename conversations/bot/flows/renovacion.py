"""Renovación: after identity validation, check the renewal rules (credits.eligibility),
present the pre-approved offer, receive the last desprendibles de pago in the chat and hand
the case to a commercial advisor (a "renewal" ticket listing the offer and the documents).

Not eligible: say which rule, kindly, and offer an advisor.
"""

import math

from django.conf import settings

from conversations.bot.flows import Flow, register
from conversations.bot.flows.intake import advisor_offer_answer, document_receive, yes_no
from credits import eligibility
from credits.selectors import customer_credits
from proalto.colombia import effective_annual_rate, format_cop, format_percent

OFFER = "renovacion/offer.txt"


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
        rates = {
            "monthly_rate_text": format_percent(offer.monthly_rate),
            "annual_rate_text": format_percent(effective_annual_rate(offer.monthly_rate)),
        }
        turn.say(OFFER, name=customer.full_name.split(" ")[0], **turn.data["offer"], **rates)
        turn.goto("confirm")

    def on_confirm(self, turn):
        answer = yes_no(turn.incoming, yes=("renew_yes",), no=("renew_no",))
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
