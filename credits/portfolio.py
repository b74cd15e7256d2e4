"""Where customers, credits and applications are read from: one interface, two sources.

`portfolio_source()` is the source PORTFOLIO_SOURCE names:

- `LocalSource` ("local"): the bot's own tables, filled by `import_clients` and
  `sync_portfolio`; every reading carries the cut-off of the data (`Reading.as_of`);
- `CoreSource` ("core"): live SELECTs on the `proalto_bot` relations of ProAlto's
  database (`credits.core`); readings carry no cut-off (`as_of` None: live). It raises
  `PortfolioUnavailable` when the core cannot answer: nothing falls back to the copy.

Both return the same frozen records, whose fields are the contract's columns. The
selectors (`credits.selectors`) are the only callers; flows, admin and the future internal
API read through those.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import connection
from django.db.models import Max

from credits.core import CoreUnavailable, core_query
from credits.models import Application, Credit, Customer, PortfolioLoad

PortfolioUnavailable = CoreUnavailable

CUSTOMER_COLUMNS = ("cedula", "full_name", "phone", "birth_date", "cedula_issue_date", "updated_at")
CREDIT_COLUMNS = (
    "number",
    "cedula",
    "pagaduria",
    "disbursed_amount",
    "balance",
    "installments_total",
    "installments_paid",
    "installment_amount",
    "next_deduction_date",
    "status",
    "updated_at",
)
APPLICATION_COLUMNS = ("number", "cedula", "stage", "updated_at")


@dataclass(frozen=True)
class CustomerRecord:
    cedula: str
    full_name: str
    phone: str
    birth_date: date | None
    cedula_issue_date: date | None
    updated_at: datetime | None = None

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ")[0]


@dataclass(frozen=True)
class CreditRecord:
    number: str
    cedula: str
    pagaduria: str
    disbursed_amount: Decimal
    balance: Decimal
    installments_total: int
    installments_paid: int
    installment_amount: Decimal
    next_deduction_date: date | None
    status: str
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ApplicationRecord:
    number: str
    cedula: str
    stage: str
    updated_at: datetime
    # "whatsapp" for a lead the bot took itself (never in the core), "core" otherwise.
    origin: str = Application.Origin.CORE


class Reading(tuple):
    """Records read together, with the cut-off of their data (None: read live from the core)."""

    as_of: datetime | None

    def __new__(cls, items=(), *, as_of: datetime | None = None):
        reading = super().__new__(cls, items)
        reading.as_of = as_of
        return reading


class PortfolioSource(Protocol):
    name: str
    live: bool

    def customer_by_cedula(self, cedula: str) -> CustomerRecord | None: ...

    def customers_by_phone(self, phone: str) -> list[CustomerRecord]: ...

    def credits(self, cedula: str) -> Reading: ...

    def applications(self, cedula: str) -> Reading: ...

    def credit_by_number(self, number: str) -> CreditRecord | None: ...

    def application_by_number(self, number: str) -> ApplicationRecord | None: ...


# --- local: the bot's own copy --------------------------------------------------------------


def local_cutoff() -> datetime | None:
    """When the local copy's data were taken: the latest load's cut-off (None: never loaded)."""
    return PortfolioLoad.objects.aggregate(latest=Max("data_as_of"))["latest"]


@functools.cache
def _rows_of_cedula_sql(model, order: tuple[str, ...]) -> str:
    """The statement reading `model`'s rows of one cédula with the local cut-off as `cutoff`:
    one round trip for a lookup or a chat answer. Written out, as the core's are: built by the
    ORM it cost three times the database's own work on the API's lookup path (bench/api)."""
    qn = connection.ops.quote_name
    table, customers, loads = (qn(m._meta.db_table) for m in (model, Customer, PortfolioLoad))
    columns = ", ".join(f"{table}.{qn(field.column)}" for field in model._meta.concrete_fields)
    taken = qn(PortfolioLoad._meta.get_field("data_as_of").column)
    joined = qn(model._meta.get_field("customer").column)
    by = ", ".join(f"{table}.{qn(name.lstrip('-'))}{' DESC' if name.startswith('-') else ''}" for name in order)
    return (
        f"SELECT {columns}, (SELECT {taken} FROM {loads} ORDER BY {taken} DESC LIMIT 1) AS cutoff "
        f"FROM {table} INNER JOIN {customers} ON {table}.{joined} = {customers}.{qn(Customer._meta.pk.column)} "
        f"WHERE {customers}.{qn('cedula')} = %s ORDER BY {by}"
    )


def _rows_of_cedula(model, cedula: str, *, order: tuple[str, ...]) -> list:
    return list(model.objects.raw(_rows_of_cedula_sql(model, order), [cedula]))


@functools.cache
def _customer_sql() -> str:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(field.column) for field in Customer._meta.concrete_fields)
    return f"SELECT {columns} FROM {qn(Customer._meta.db_table)} WHERE {qn('cedula')} = %s"


def local_customer(cedula: str) -> Customer | None:
    """The copy's customer row of this cédula (unique): the first read of every lookup, written
    out for the same reason as the rows above (a third of its cost was the ORM's)."""
    found = list(Customer.objects.raw(_customer_sql(), [cedula]))
    return found[0] if found else None


def _cutoff_value(value) -> datetime | None:
    """The `cutoff` column as the ORM would give it (SQLite returns its text as is)."""
    field = PortfolioLoad._meta.get_field("data_as_of")
    for converter in connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(connection):
        value = converter(value, field.cached_col, connection)
    return value


def _reading(records: list, rows: list) -> Reading:
    return Reading(records, as_of=_cutoff_value(rows[0].cutoff) if rows else local_cutoff())


def _customer_record(customer: Customer) -> CustomerRecord:
    return CustomerRecord(**{name: getattr(customer, name) for name in CUSTOMER_COLUMNS})


class LocalSource:
    name = "local"
    live = False

    def customer_by_cedula(self, cedula: str) -> CustomerRecord | None:
        customer = local_customer(cedula)
        return _customer_record(customer) if customer else None

    def customers_by_phone(self, phone: str) -> list[CustomerRecord]:
        return [_customer_record(c) for c in Customer.objects.filter(phone=phone).order_by("cedula")[:2]]

    def credits(self, cedula: str) -> Reading:
        rows = _rows_of_cedula(Credit, cedula, order=("number",))
        own = [name for name in CREDIT_COLUMNS if name not in ("cedula", "updated_at")]
        records = [CreditRecord(cedula=cedula, **{name: getattr(c, name) for name in own}) for c in rows]
        return _reading(records, rows)

    def applications(self, cedula: str) -> Reading:
        rows = _rows_of_cedula(Application, cedula, order=("-updated_at", "-id"))
        records = [
            ApplicationRecord(number=a.number, cedula=cedula, stage=a.stage, updated_at=a.updated_at, origin=a.origin)
            for a in rows
        ]
        return _reading(records, rows)

    def credit_by_number(self, number: str) -> CreditRecord | None:
        credit = Credit.objects.select_related("customer").filter(number=number).first()
        if credit is None:
            return None
        own = [name for name in CREDIT_COLUMNS if name not in ("cedula", "updated_at")]
        return CreditRecord(cedula=credit.customer.cedula, **{name: getattr(credit, name) for name in own})

    def application_by_number(self, number: str) -> ApplicationRecord | None:
        application = Application.objects.select_related("customer").filter(number=number).first()
        if application is None or application.customer is None:
            return None
        return ApplicationRecord(
            number=application.number,
            cedula=application.customer.cedula,
            stage=application.stage,
            updated_at=application.updated_at,
            origin=application.origin,
        )


# --- core: ProAlto's database, live ------------------------------------------------------------


def _select(columns: tuple[str, ...], relation: str, where: str, order: str, limit: int | None = None) -> str:
    sql = f"SELECT {', '.join(columns)} FROM proalto_bot.{relation} WHERE {where} ORDER BY {order}"
    return sql + (f" LIMIT {int(limit)}" if limit else "")


class CoreSource:
    name = "core"
    live = True

    def customer_by_cedula(self, cedula: str) -> CustomerRecord | None:
        rows = core_query(_select(CUSTOMER_COLUMNS, "customers", "cedula = %s", "cedula", 1), [cedula])
        return CustomerRecord(**rows[0]) if rows else None

    def customers_by_phone(self, phone: str) -> list[CustomerRecord]:
        rows = core_query(_select(CUSTOMER_COLUMNS, "customers", "phone = %s", "cedula", 2), [phone])
        return [CustomerRecord(**row) for row in rows]

    def credits(self, cedula: str) -> Reading:
        rows = core_query(_select(CREDIT_COLUMNS, "credits", "cedula = %s", "number"), [cedula])
        return Reading([CreditRecord(**row) for row in rows])

    def applications(self, cedula: str) -> Reading:
        rows = core_query(
            _select(APPLICATION_COLUMNS, "applications", "cedula = %s", "updated_at DESC, number"), [cedula]
        )
        records = [ApplicationRecord(**row) for row in rows]
        # The leads the bot took itself are the bot's own data, never in the core.
        known = {record.number for record in records}
        leads = Application.objects.filter(customer__cedula=cedula, origin=Application.Origin.WHATSAPP).exclude(
            number__in=known
        )
        records += [
            ApplicationRecord(number=a.number, cedula=cedula, stage=a.stage, updated_at=a.updated_at, origin=a.origin)
            for a in leads
        ]
        records.sort(key=lambda r: r.updated_at, reverse=True)
        return Reading(records)

    def credit_by_number(self, number: str) -> CreditRecord | None:
        rows = core_query(_select(CREDIT_COLUMNS, "credits", "number = %s", "number", 1), [number])
        return CreditRecord(**rows[0]) if rows else None

    def application_by_number(self, number: str) -> ApplicationRecord | None:
        rows = core_query(_select(APPLICATION_COLUMNS, "applications", "number = %s", "number", 1), [number])
        return ApplicationRecord(**rows[0]) if rows else None


SOURCES = {"local": LocalSource, "core": CoreSource}


def portfolio_source() -> PortfolioSource:
    """The source in use (PORTFOLIO_SOURCE)."""
    return SOURCES[settings.PORTFOLIO_SOURCE]()
