"""Reads of customers, credits and applications used by the conversation flows."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from proalto.colombia import normalize_mobile

from .models import Application, Credit, Customer, RenewalRuleSet
from .pagadurias import PAGADURIAS

# Credits still owed: "vigentes", whether up to date or in arrears.
OUTSTANDING_STATUSES = (Credit.Status.ACTIVE, Credit.Status.ARREARS)


def customer_by_cedula(*, cedula: str) -> Customer | None:
    """The customer with this cédula; dots and spaces as people type them are ignored."""
    digits = re.sub(r"[\s.]", "", cedula or "")
    if not digits.isdigit():
        return None
    return Customer.objects.filter(cedula=digits).first()


def customer_by_phone(*, phone: str) -> Customer | None:
    """The customer registered with this mobile (wa_id or any Colombian format).

    None when no customer, or more than one, has that number: a shared phone must not
    pick a customer at random, the flow then asks for the cédula instead.
    """
    normalized = normalize_mobile(phone)
    if normalized is None:
        return None
    matches = list(Customer.objects.filter(phone=normalized)[:2])
    return matches[0] if len(matches) == 1 else None


def customer_active_credits(*, customer: Customer) -> QuerySet[Credit]:
    """Credits still owed (status active or arrears), by number. Paid credits are excluded."""
    return customer.credits.filter(status__in=OUTSTANDING_STATUSES).order_by("number")


def customer_credits(*, customer: Customer) -> QuerySet[Credit]:
    """All the customer's credits, paid ones included, by number."""
    return customer.credits.order_by("number")


def customer_latest_application(*, customer: Customer) -> Application | None:
    """The most recently updated application, or None."""
    return customer.applications.order_by("-updated_at", "-pk").first()


def customer_by_id(*, customer_id: int | None) -> Customer | None:
    return Customer.objects.filter(pk=customer_id).first() if customer_id else None


def application_by_id(*, application_id: int, customer: Customer | None = None) -> Application | None:
    """The application, if it exists (and belongs to ``customer``, when given)."""
    applications = Application.objects.filter(pk=application_id)
    if customer is not None:
        applications = applications.filter(customer=customer)
    return applications.first()


def application_has_subscriber(*, application: Application, contact) -> bool:
    return application.subscriptions.filter(contact=contact, active=True).exists()


def pagaduria_names() -> list[str]:
    """ProAlto's pagadurías (credits.pagadurias) and those of the credits on record, sorted."""
    on_record = Credit.objects.exclude(pagaduria="").values_list("pagaduria", flat=True).distinct()
    return sorted(set(PAGADURIAS) | set(on_record), key=str.casefold)


def renewal_rules_current() -> RenewalRuleSet | None:
    """The latest published version of the renewal rules, or None (the settings apply)."""
    return RenewalRuleSet.objects.order_by("-created_at", "-pk").first()
