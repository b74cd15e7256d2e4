"""Reads of customers, credits and applications: the one interface every reader uses (the
conversation flows, the certificate, the admin's customer panel, the internal API).

Each read goes to the source PORTFOLIO_SOURCE names (`credits.portfolio`): the local copy
(readings carry their cut-off, `Reading.as_of`) or ProAlto's core, live (`as_of` None;
`PortfolioUnavailable` when it cannot answer). Credits and applications come back as
records (`CreditRecord`, `ApplicationRecord`), whatever the source.

Customers come back as the local `Customer` row, the anchor sessions, tickets and
certificates point to. With the core as source its identity fields are the core's, read
now: the row is created or refreshed from them when they differ (`customer_anchor_upsert`).
"""

from __future__ import annotations

import re
from datetime import datetime

from proalto.colombia import normalize_mobile

from .core import core_health
from .models import Application, ApplicationSubscription, Credit, Customer, RenewalRuleSet
from .pagadurias import PAGADURIAS
from .portfolio import (
    CUSTOMER_COLUMNS,
    ApplicationRecord,
    CustomerRecord,
    PortfolioUnavailable,
    Reading,
    local_customer,
    local_cutoff,
    portfolio_source,
)
from .services import customer_anchor_upsert

# Credits still owed: "vigentes", whether up to date or in arrears.
OUTSTANDING_STATUSES = (Credit.Status.ACTIVE, Credit.Status.ARREARS)

__all__ = ["PortfolioUnavailable", "Reading", "OUTSTANDING_STATUSES"]


def portfolio_live() -> bool:
    """Whether reads come live from the core (no cut-off to state)."""
    return portfolio_source().live


def portfolio_cutoff() -> datetime | None:
    """The local copy's cut-off (None when it was never loaded)."""
    return local_cutoff()


def _anchor(record: CustomerRecord | None, *, cedula: str) -> Customer | None:
    # The local row is read even when the core knows no such cédula: identity answers must not
    # tell a customer from a stranger by the work (the time) they take.
    customer = local_customer(cedula)
    if record is None:
        return None
    if customer is not None and all(
        getattr(customer, name) == getattr(record, name) for name in CUSTOMER_COLUMNS if name != "updated_at"
    ):
        return customer
    return customer_anchor_upsert(record=record)


def customer_by_cedula(*, cedula: str) -> Customer | None:
    """The customer with this cédula; dots and spaces as people type them are ignored."""
    digits = re.sub(r"[\s.]", "", cedula or "")
    if not digits.isdigit():
        return None
    source = portfolio_source()
    if not source.live:
        return local_customer(digits)
    return _anchor(source.customer_by_cedula(digits), cedula=digits)


def customer_by_phone(*, phone: str) -> Customer | None:
    """The customer registered with this mobile (wa_id or any Colombian format).

    None when no customer, or more than one, has that number: a shared phone must not
    pick a customer at random, the flow then asks for the cédula instead.
    """
    normalized = normalize_mobile(phone)
    if normalized is None:
        return None
    source = portfolio_source()
    if not source.live:
        matches = list(Customer.objects.filter(phone=normalized)[:2])
        return matches[0] if len(matches) == 1 else None
    records = source.customers_by_phone(normalized)
    return _anchor(records[0], cedula=records[0].cedula) if len(records) == 1 else None


def customer_by_id(*, customer_id: int | None) -> Customer | None:
    """The anchor row (a validated session's customer)."""
    return Customer.objects.filter(pk=customer_id).first() if customer_id else None


def customer_credits(*, customer: Customer) -> Reading:
    """All the customer's credits, paid ones included, by number."""
    return portfolio_source().credits(customer.cedula)


def customer_active_credits(*, customer: Customer) -> Reading:
    """Credits still owed (status active or arrears), by number. Paid credits are excluded."""
    credits = customer_credits(customer=customer)
    return Reading([c for c in credits if c.status in OUTSTANDING_STATUSES], as_of=credits.as_of)


def customer_applications(*, customer: Customer) -> Reading:
    """The customer's applications, the most recently updated first."""
    return portfolio_source().applications(customer.cedula)


def customer_latest_application(*, customer: Customer) -> Reading:
    """The most recently updated application (a Reading of one, or empty)."""
    applications = customer_applications(customer=customer)
    return Reading(applications[:1], as_of=applications.as_of)


def application_for_customer(*, number: str, customer: Customer) -> ApplicationRecord | None:
    """The customer's application with this number, if it is theirs."""
    return next((a for a in customer_applications(customer=customer) if a.number == number), None)


def contact_lead_application(*, contact) -> Application | None:
    """The latest application this chat submitted itself ("Nuevo crédito"), if any: the
    prospect follows it from the same chat without a validated identity."""
    if contact is None or contact.pk is None:
        return None
    return (
        Application.objects.filter(contact=contact, origin=Application.Origin.WHATSAPP)
        .order_by("-updated_at", "-pk")
        .first()
    )


def application_local(*, number: str, customer: Customer) -> Application | None:
    """The local row of the customer's application with this number (subscriptions point to it)."""
    return Application.objects.filter(number=number, customer=customer).first()


def application_has_subscriber(*, number: str, contact) -> bool:
    return ApplicationSubscription.objects.filter(application__number=number, contact=contact, active=True).exists()


def customer_panel(*, customer: Customer) -> dict:
    """What the admin's customer page shows of credits and applications, from the source in
    use: {"credits", "applications", "as_of", "live", "error"}."""
    source = portfolio_source()
    try:
        credits = source.credits(customer.cedula)
        applications = source.applications(customer.cedula)
    except PortfolioUnavailable:
        return {"credits": [], "applications": [], "as_of": None, "live": source.live, "error": True}
    return {
        "credits": list(credits),
        "applications": list(applications),
        "as_of": credits.as_of,
        "live": source.live,
        "error": False,
    }


def credit_status_label(status: str) -> str:
    """`Al día`, `En mora`…: a credit status as staff read it."""
    return Credit.Status(status).label


def application_stage_label(stage: str) -> str:
    """`En estudio`…: an application stage as staff read it."""
    return Application.Stage(stage).label


def portfolio_health() -> dict:
    """What staff see of the data's source (metrics page): the source in use, the core's
    health (credits.core.core_health) and the local copy's cut-off."""
    return {"source": portfolio_source().name, "core": core_health(), "local_cutoff": local_cutoff()}


def leads_since(*, since: datetime):
    """Applications the bot took itself ("Nuevo crédito") updated since `since`, oldest first."""
    return (
        Application.objects.filter(origin=Application.Origin.WHATSAPP, updated_at__gte=since)
        .select_related("contact", "customer")
        .order_by("updated_at", "pk")
    )


def lead_by_number(*, number: str) -> Application | None:
    return (
        Application.objects.filter(origin=Application.Origin.WHATSAPP, number=number)
        .select_related("contact", "customer")
        .first()
    )


def pagaduria_names() -> list[str]:
    """ProAlto's pagadurías (credits.pagadurias) and those of the credits on record, sorted."""
    on_record = Credit.objects.exclude(pagaduria="").values_list("pagaduria", flat=True).distinct()
    return sorted(set(PAGADURIAS) | set(on_record), key=str.casefold)


def renewal_rules_current() -> RenewalRuleSet | None:
    """The latest published version of the renewal rules, or None (the settings apply)."""
    return RenewalRuleSet.objects.order_by("-created_at", "-pk").first()
