"""Consultar saldo: the validated customer's outstanding credits, in Colombian format, with
the cut-off of the data when they come from the local copy."""

from conversations.bot.flows import Flow, register
from credits.selectors import customer_active_credits
from proalto.colombia import format_cop, format_date_long, format_time


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
        reading = customer_active_credits(customer=customer)
        credits = [credit_summary(credit) for credit in reading]
        if not credits:
            turn.say("saldo/none.txt", cutoff=cutoff_text(reading.as_of))
        else:
            turn.say("saldo/detail.txt", credits=credits, cutoff=cutoff_text(reading.as_of))
        turn.end()


def cutoff_text(as_of) -> str:
    """ "30 de noviembre de 2026, 6:00 a. m." for data from the local copy; "" when read live."""
    return f"{format_date_long(as_of)}, {format_time(as_of)}" if as_of else ""


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
        "arrears": credit.status == "arrears",
    }
