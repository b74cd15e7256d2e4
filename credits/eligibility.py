"""Renewal rules, in one place: who may renew a libranza and what the pre-approved offer is.

Pure functions over credits and a `RenewalRules` value (read from settings by
`renewal_rules()`), so the rules can be tested and changed without a conversation:

- eligible: the customer has an active credit, none in arrears, and that credit has at
  least `min_paid_share` of its installments paid;
- offer: new amount = min(max_amount, disbursed_amount * amount_factor); the customer
  receives the new amount minus the current balance ("monto adicional"); the installment
  is the French-amortisation (fixed) installment of the new amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from credits.models import Credit
from credits.selectors import renewal_rules_current

ACTIVE, ARREARS = Credit.Status.ACTIVE, Credit.Status.ARREARS

# Why a customer is not eligible (each has its own kind words in templates/bot/renovacion/).
NO_ACTIVE_CREDIT = "no_active_credit"
ARREARS_REASON = "arrears"
NOT_ENOUGH_PAID = "not_enough_paid"
NO_ADDITIONAL_AMOUNT = "no_additional_amount"


@dataclass(frozen=True)
class RenewalRules:
    min_paid_share: Decimal
    amount_factor: Decimal
    max_amount: Decimal
    monthly_rate: Decimal
    term_months: int


def renewal_rules() -> RenewalRules:
    """The rules in force: the latest version a Supervisor published in the admin
    (RenewalRuleSet), or else the settings RENEWAL_* (documented in proalto/settings.py)."""
    current = renewal_rules_current()
    if current is not None:
        return RenewalRules(
            min_paid_share=current.min_paid_share,
            amount_factor=current.amount_factor,
            max_amount=current.max_amount,
            monthly_rate=current.monthly_rate,
            term_months=current.term_months,
        )
    return RenewalRules(
        min_paid_share=Decimal(str(settings.RENEWAL_MIN_PAID_SHARE)),
        amount_factor=Decimal(str(settings.RENEWAL_AMOUNT_FACTOR)),
        max_amount=Decimal(settings.RENEWAL_MAX_AMOUNT),
        monthly_rate=Decimal(str(settings.RENEWAL_MONTHLY_RATE)),
        term_months=settings.RENEWAL_TERM_MONTHS,
    )


@dataclass(frozen=True)
class Offer:
    credit_number: str
    new_amount: Decimal
    balance: Decimal
    additional_amount: Decimal
    installment: Decimal
    term_months: int
    monthly_rate: Decimal


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    # "" when eligible, else one of the reasons above.
    reason: str = ""
    credit: object | None = None  # the credit the renewal is based on
    offer: Offer | None = None
    # installments_paid / installments_total of that credit (for the "why not" copy).
    paid_share: Decimal | None = None


def paid_share(credit) -> Decimal:
    if not credit.installments_total:
        return Decimal(0)
    return Decimal(credit.installments_paid) / Decimal(credit.installments_total)


def french_installment(principal: Decimal, monthly_rate: Decimal, months: int) -> Decimal:
    """Fixed monthly installment repaying `principal` in `months` at `monthly_rate`, whole pesos."""
    if months < 1:
        raise ValueError("months must be at least 1")
    principal = Decimal(principal)
    if monthly_rate == 0:
        installment = principal / months
    else:
        installment = principal * monthly_rate / (1 - (1 + monthly_rate) ** -months)
    return installment.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def renewal_offer(credit, rules: RenewalRules) -> Offer:
    new_amount = min(rules.max_amount, Decimal(credit.disbursed_amount) * rules.amount_factor)
    new_amount = new_amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    balance = Decimal(credit.balance)
    return Offer(
        credit_number=credit.number,
        new_amount=new_amount,
        balance=balance,
        additional_amount=new_amount - balance,
        installment=french_installment(new_amount, rules.monthly_rate, rules.term_months),
        term_months=rules.term_months,
        monthly_rate=rules.monthly_rate,
    )


def renewal_eligibility(credits: Iterable, rules: RenewalRules) -> Eligibility:
    """Whether a customer with these credits (all of them, any status) may renew, and the offer."""
    credits = list(credits)
    if any(c.status == ARREARS for c in credits):
        return Eligibility(eligible=False, reason=ARREARS_REASON)
    active = [c for c in credits if c.status == ACTIVE]
    if not active:
        return Eligibility(eligible=False, reason=NO_ACTIVE_CREDIT)
    # The credit furthest along is the one a renewal builds on.
    credit = max(active, key=lambda c: (paid_share(c), c.disbursed_amount, c.number))
    share = paid_share(credit)
    if share < rules.min_paid_share:
        return Eligibility(eligible=False, reason=NOT_ENOUGH_PAID, credit=credit, paid_share=share)
    offer = renewal_offer(credit, rules)
    if offer.additional_amount <= 0:
        return Eligibility(eligible=False, reason=NO_ADDITIONAL_AMOUNT, credit=credit, paid_share=share)
    return Eligibility(eligible=True, credit=credit, offer=offer, paid_share=share)
