"""Renewal rules (credits/eligibility.py): pure functions, no database."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from credits.eligibility import (
    ARREARS_REASON,
    NO_ACTIVE_CREDIT,
    NO_ADDITIONAL_AMOUNT,
    NOT_ENOUGH_PAID,
    RenewalRules,
    french_installment,
    renewal_eligibility,
    renewal_rules,
)

RULES = RenewalRules(
    min_paid_share=Decimal("0.5"),
    amount_factor=Decimal("1.2"),
    max_amount=Decimal("60000000"),
    monthly_rate=Decimal("0.018"),
    term_months=72,
)


@dataclass
class Credit:  # the fields the rules read, like credits.models.Credit
    number: str = "LIB-000150"
    status: str = "active"
    disbursed_amount: Decimal = Decimal("20000000")
    balance: Decimal = Decimal("8400000")
    installments_total: int = 84
    installments_paid: int = 50


def test_eligible_credit_gets_the_offer():
    result = renewal_eligibility([Credit()], RULES)
    assert result.eligible and result.reason == ""
    offer = result.offer
    assert offer.new_amount == Decimal("24000000")  # 20.000.000 x 1.2
    assert offer.additional_amount == Decimal("15600000")  # minus the balance
    assert offer.installment == Decimal("597342")  # 24.000.000 x 0.018 / (1 - 1.018^-72), whole pesos
    assert offer.term_months == 72


def test_exactly_half_paid_is_enough():
    assert renewal_eligibility([Credit(installments_total=60, installments_paid=30)], RULES).eligible


def test_less_than_the_minimum_share_is_not():
    result = renewal_eligibility([Credit(installments_total=72, installments_paid=3)], RULES)
    assert not result.eligible and result.reason == NOT_ENOUGH_PAID
    assert result.credit.number == "LIB-000150" and result.paid_share == Decimal(3) / Decimal(72)


def test_any_credit_in_arrears_blocks_renewal():
    result = renewal_eligibility([Credit(), Credit(number="LIB-2", status="arrears")], RULES)
    assert not result.eligible and result.reason == ARREARS_REASON


def test_no_active_credit():
    assert renewal_eligibility([], RULES).reason == NO_ACTIVE_CREDIT
    assert renewal_eligibility([Credit(status="paid", balance=Decimal(0))], RULES).reason == NO_ACTIVE_CREDIT


def test_the_credit_furthest_along_is_the_one_renewed():
    young = Credit(number="LIB-A", installments_total=36, installments_paid=8)
    mature = Credit(number="LIB-B", installments_total=72, installments_paid=60)
    assert renewal_eligibility([young, mature], RULES).credit.number == "LIB-B"


def test_the_maximum_amount_caps_the_offer():
    result = renewal_eligibility([Credit(disbursed_amount=Decimal("80000000"), balance=Decimal("1000000"))], RULES)
    assert result.offer.new_amount == Decimal("60000000")
    assert result.offer.additional_amount == Decimal("59000000")


def test_no_additional_amount_is_not_an_offer():
    result = renewal_eligibility([Credit(balance=Decimal("24000000"))], RULES)
    assert not result.eligible and result.reason == NO_ADDITIONAL_AMOUNT


def test_rules_come_from_settings(settings, db):  # db: with no published version (RenewalRuleSet)
    settings.RENEWAL_MIN_PAID_SHARE = 0.7
    settings.RENEWAL_AMOUNT_FACTOR = 1.0
    rules = renewal_rules()
    assert rules.min_paid_share == Decimal("0.7")
    assert renewal_eligibility([Credit()], rules).reason == NOT_ENOUGH_PAID  # 50/84 < 70 %
    assert renewal_eligibility([Credit(installments_paid=60)], rules).offer.new_amount == Decimal("20000000")


@pytest.mark.parametrize(
    "principal, rate, months, expected",
    [
        # Textbook values: 1.000.000 at 1 % monthly over 12 months -> 88.849 (88.848,79).
        (Decimal("1000000"), Decimal("0.01"), 12, Decimal("88849")),
        # No interest: the principal split evenly.
        (Decimal("1200000"), Decimal("0"), 12, Decimal("100000")),
        (Decimal("24000000"), Decimal("0.018"), 72, Decimal("597342")),
    ],
)
def test_french_installment(principal, rate, months, expected):
    assert french_installment(principal, rate, months) == expected


def test_french_installment_repays_the_principal():
    principal, rate, months = Decimal("15000000"), Decimal("0.018"), 60
    installment = french_installment(principal, rate, months)
    balance = principal
    for _ in range(months):
        balance = balance * (1 + rate) - installment
    assert abs(balance) < months  # rounding to whole pesos only
