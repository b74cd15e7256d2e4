"""Consultar saldo: the validated customer's outstanding credits, in Colombian format."""

from conversations.bot.flows import Flow, register
from credits.selectors import customer_active_credits
from proalto.colombia import format_cop, format_date_long


@register
class BalanceFlow(Flow):
    name = "saldo"
    intents = ("saldo",)

    def enter_start(self, turn):
        turn.goto_validated("detail")

    def enter_detail(self, turn):
        customer = turn.customer
        if customer is None:  # the validation did not finish; nothing financial is said
            turn.end(resolved=False)
            return
        credits = [credit_summary(credit) for credit in customer_active_credits(customer=customer)]
        if not credits:
            turn.say("saldo/none.txt")
        else:
            turn.say("saldo/detail.txt", credits=credits)
        turn.end()


def credit_summary(credit) -> dict:
    """What the customer reads about one credit, already formatted."""
    return {
        "number": credit.number,
        "pagaduria": credit.pagaduria,
        "balance": format_cop(credit.balance),
        "installments_paid": credit.installments_paid,
        "installments_total": credit.installments_total,
        "installment_amount": format_cop(credit.installment_amount),
        "next_deduction": format_date_long(credit.next_deduction_date) if credit.next_deduction_date else "",
        "arrears": credit.status == credit.Status.ARREARS,
    }
