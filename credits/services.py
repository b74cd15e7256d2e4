"""Writes to customers, credits and applications: the core system's export import, the
sync from the core, stage changes made in the admin, leads taken in the chat, and
subscriptions to stage-change notifications.

The export is JSON Lines, one customer per line (see `clients_import`). The import is
all-or-nothing: every line is validated first, then everything is written in a single
transaction, so a bad line leaves the database exactly as it was. `portfolio_sync` writes
what changed in the core the same way. Both record a `PortfolioLoad` with the data's cut-off.

Stages on import and sync: an application's stage moves back (say from aprobacion to
estudio) only when the incoming row is dated (`updated_at`) after the stored one, i.e. the
core says so explicitly; an undated line or an older row never moves it back. A stage set
by staff in the admin is kept against any row dated before that edit. Both are counted
(`stages_kept`), never silently overwritten.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from credits import eligibility
from credits.core import core_query
from credits.importer import CustomerRow, ImportFileError, parse_file
from credits.models import (
    STAGE_RANK,
    Application,
    ApplicationStageChange,
    ApplicationSubscription,
    Credit,
    Customer,
    PortfolioLoad,
    RenewalRuleSet,
)
from credits.notifications import stage_changes_enqueue
from credits.portfolio import (
    APPLICATION_COLUMNS,
    CREDIT_COLUMNS,
    CUSTOMER_COLUMNS,
    ApplicationRecord,
    portfolio_source,
)
from escalations.audit import AuditAction
from escalations.services import audit_record
from proalto.colombia import format_cop, format_percent, normalize_mobile

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    # Customers
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    credits_created: int = 0
    credits_updated: int = 0
    applications_created: int = 0
    applications_updated: int = 0
    stage_changes: int = 0
    # Stage changes not applied: backwards without a newer date, or older than a staff edit.
    stages_kept: int = 0


# --- Writing ------------------------------------------------------------------------


def _apply(instance, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def clients_import(*, lines: Iterable[str], as_of: datetime | None = None, source_name: str = "") -> ImportResult:
    """Import the core system's JSON Lines export, all or nothing.

    One customer per line, with its `credits` and `applications`. Customers are matched
    by cédula, credits and applications by number; existing rows are updated in place.
    Credits and applications absent from a customer's line are left as they are (the
    export may be partial; the core system never deletes them). Optional customer keys
    absent from a line (birth_date, cedula_issue_date) keep their stored value; an
    explicit null clears them.

    A changed application stage records an `ApplicationStageChange` (what customer
    notifications react to); a new application records none.

    `as_of` is when the export's data were taken (default: now); it is recorded as the
    local copy's cut-off, which replies from the copy state.

    Raises `ImportFileError(line_no, message)` for the first invalid line, before
    anything is written. Messages never include the customer's personal data.
    """
    rows = parse_file(lines)
    result = ImportResult()
    now = timezone.now()

    with transaction.atomic():
        _rows_write(rows, result, now=now)
        PortfolioLoad.objects.create(
            kind=PortfolioLoad.Kind.IMPORT,
            data_as_of=as_of or now,
            loaded_at=now,
            counts=asdict(result),
            source_name=source_name[:255],
        )
    return result


def _rows_write(rows: list[CustomerRow], result: ImportResult, *, now: datetime) -> None:
    customers = Customer.objects.in_bulk([r.fields["cedula"] for r in rows], field_name="cedula")
    credits = Credit.objects.in_bulk([c["number"] for r in rows for c in r.credits], field_name="number")
    # Locked: a sync and an event writing one application at once must not both see the old
    # stage and both record (and notify) the change.
    applications = Application.objects.select_for_update().in_bulk(
        [a["number"] for r in rows for a in r.applications], field_name="number"
    )
    for row in rows:
        customer = _customer_write(row, customers.get(row.fields["cedula"]), result)
        customers[customer.cedula] = customer
        _credits_write(row, customer, credits, result)
        _applications_write(row, customer, applications, result, now=now)
    if result.stage_changes:
        _notify_after_commit()


def _customer_write(row: CustomerRow, customer: Customer | None, result: ImportResult) -> Customer:
    if customer is None:
        customer = Customer.objects.create(**row.fields)
        result.created += 1
    elif changed := _apply(customer, row.fields):
        customer.save(update_fields=[*changed, "updated_at"])
        result.updated += 1
    else:
        result.unchanged += 1
    return customer


def _credits_write(row: CustomerRow, customer: Customer, existing: dict[str, Credit], result: ImportResult) -> None:
    for values in row.credits:
        credit = existing.get(values["number"])
        if credit is None:
            Credit.objects.create(customer=customer, **values)
            result.credits_created += 1
            continue
        if credit.customer_id != customer.pk:
            raise ImportFileError(row.line_no, f"credit {credit.number} belongs to another customer")
        if changed := _apply(credit, values):
            credit.save(update_fields=changed)
            result.credits_updated += 1


def _applications_write(
    row: CustomerRow, customer: Customer, existing: dict[str, Application], result: ImportResult, *, now
) -> None:
    for values in row.applications:
        application = existing.get(values["number"])
        if application is None:
            Application.objects.create(customer=customer, **{"updated_at": now, **values})
            result.applications_created += 1
            continue
        if application.customer_id is None:  # a lead the core now lists as this customer's
            application.customer = customer
            application.save(update_fields=["customer"])
        elif application.customer_id != customer.pk:
            raise ImportFileError(row.line_no, f"application {application.number} belongs to another customer")
        from_stage = application.stage
        if values["stage"] != from_stage and not _stage_may_change(application, values):
            logger.info("application %s: stage %s kept (incoming %s)", application.number, from_stage, values["stage"])
            result.stages_kept += 1
            values = {k: v for k, v in values.items() if k not in ("stage", "updated_at")}
        changed = _apply(application, values)
        if not changed:
            continue
        if "stage" in changed and "updated_at" not in values:
            application.updated_at = now
            changed.append("updated_at")
        application.save(update_fields=changed)
        result.applications_updated += 1
        if "stage" in changed:
            ApplicationStageChange.objects.create(
                application=application,
                from_stage=from_stage,
                to_stage=application.stage,
                changed_at=values.get("updated_at", now),
            )
            result.stage_changes += 1


def _stage_may_change(application: Application, values: dict) -> bool:
    """Whether an import/sync row may set this stage (see the module's docstring)."""
    dated = values.get("updated_at")
    staff_at = application.stage_set_by_staff_at
    if staff_at is not None and (dated is None or dated <= staff_at):
        return False
    if STAGE_RANK[values["stage"]] > STAGE_RANK[application.stage]:
        return True
    return dated is not None and dated > application.updated_at


# --- The core: sync and anchors ----------------------------------------------------------------

# Rows committed in the core late with an earlier updated_at are caught by re-reading this
# much before the last cursor (re-writing a row is harmless: it is an upsert).
SYNC_OVERLAP = timedelta(minutes=10)
SYNC_BATCH = 1000


def portfolio_sync(*, now: datetime | None = None, full: bool = False) -> ImportResult:
    """Pull what changed in the core since the last sync (by `updated_at`; everything with
    `full`) into the local copy, in one transaction, and record the load with its cut-off
    (when the read began).

    Raises `PortfolioUnavailable` (nothing written) when the core cannot answer.
    """
    now = now or timezone.now()
    previous = PortfolioLoad.objects.filter(kind=PortfolioLoad.Kind.SYNC).order_by("-loaded_at", "-pk").first()
    cursor = dict(previous.cursor) if previous and not full else {}
    changed = {
        relation: _core_changes(relation, columns, key, since=cursor.get(relation))
        for relation, columns, key in (
            ("customers", CUSTOMER_COLUMNS, "cedula"),
            ("credits", CREDIT_COLUMNS, "number"),
            ("applications", APPLICATION_COLUMNS, "number"),
        )
    }
    rows = _sync_rows(changed)
    result = ImportResult()
    with transaction.atomic():
        _rows_write(rows, result, now=now)
        for relation, found in changed.items():
            if found:
                cursor[relation] = max(row["updated_at"] for row in found).isoformat()
        PortfolioLoad.objects.create(
            kind=PortfolioLoad.Kind.SYNC, data_as_of=now, loaded_at=now, cursor=cursor, counts=asdict(result)
        )
    return result


def _core_changes(relation: str, columns: tuple[str, ...], key: str, *, since: str | None) -> list[dict]:
    start = datetime.fromisoformat(since) - SYNC_OVERLAP if since else datetime(1900, 1, 1, tzinfo=dt_timezone.utc)
    found: list[dict] = []
    after: tuple = (start, "")
    while True:
        batch = core_query(
            f"SELECT {', '.join(columns)} FROM proalto_bot.{relation} "
            f"WHERE (updated_at, {key}) > (%s, %s) ORDER BY updated_at, {key} LIMIT {SYNC_BATCH}",
            list(after),
        )
        found += batch
        if len(batch) < SYNC_BATCH:
            return found
        after = (batch[-1]["updated_at"], batch[-1][key])


def _sync_rows(changed: dict[str, list[dict]]) -> list[CustomerRow]:
    """The core's changed rows grouped per customer, as the import writes them."""
    customers = {row["cedula"]: row for row in changed["customers"]}
    needed = {row["cedula"] for relation in ("credits", "applications") for row in changed[relation]}
    known = set(Customer.objects.filter(cedula__in=needed).values_list("cedula", flat=True))
    missing = sorted(needed - set(customers) - known)
    if missing:
        for row in core_query(
            f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM proalto_bot.customers WHERE cedula = ANY(%s)", [missing]
        ):
            customers[row["cedula"]] = row
    rows: dict[str, CustomerRow] = {}
    local = {c.cedula: c for c in Customer.objects.filter(cedula__in=needed - set(customers))}
    for cedula in sorted(set(customers) | needed):
        source = customers.get(cedula)
        if source is not None:
            fields = {name: source[name] for name in CUSTOMER_COLUMNS if name != "updated_at"}
            fields["phone"] = normalize_mobile(fields["phone"]) or fields["phone"]
        elif cedula in local:
            fields = {"cedula": cedula}
        else:
            logger.warning("sync: a credit or application of a customer the core does not list; skipped")
            continue
        rows[cedula] = CustomerRow(line_no=0, fields=fields)
    for row in changed["credits"]:
        if row["cedula"] in rows:
            rows[row["cedula"]].credits.append({name: row[name] for name in CREDIT_COLUMNS[:-1] if name != "cedula"})
    for row in changed["applications"]:
        if row["cedula"] in rows:
            rows[row["cedula"]].applications.append(
                {name: row[name] for name in APPLICATION_COLUMNS if name != "cedula"}
            )
    return list(rows.values())


def customer_anchor_upsert(*, record) -> Customer:
    """The local row of a customer read from the core, created or refreshed with the core's
    identity fields (the anchor sessions, tickets and certificates point to)."""
    fields = {name: getattr(record, name) for name in CUSTOMER_COLUMNS if name not in ("cedula", "updated_at")}
    customer, _ = Customer.objects.update_or_create(cedula=record.cedula, defaults=fields)
    return customer


# --- Stage changes and notifications ------------------------------------------------------


def _notify_after_commit() -> None:
    transaction.on_commit(stage_changes_enqueue)


def application_stage_set(*, application: Application, stage: str, now=None) -> ApplicationStageChange | None:
    """Move an application to `stage` (the admin's way), recording the change for notifications.

    Returns the recorded change, or None when the application already was at that stage.
    Subscribed customers are notified after commit (`credits.tasks.notify_stage_changes`).
    """
    if stage not in Application.Stage.values:
        raise ValueError(f"unknown stage {stage!r}")
    if settings.PORTFOLIO_SOURCE == "core" and application.origin == Application.Origin.CORE:
        raise ValueError("the core owns this application's stage")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.stage == stage:
            return None
        change = ApplicationStageChange.objects.create(
            application=locked, from_stage=locked.stage, to_stage=stage, changed_at=now
        )
        locked.stage = stage
        locked.updated_at = now
        locked.stage_set_by_staff_at = now
        locked.save(update_fields=["stage", "updated_at", "stage_set_by_staff_at"])
        _notify_after_commit()
    application.stage, application.updated_at = stage, now
    return change


def application_mirror_upsert(*, record, customer: Customer) -> Application:
    """The local row of an application read from the core (subscriptions point to it);
    created when the sync has not brought it yet, else left to the sync."""
    application, _ = Application.objects.get_or_create(
        number=record.number, defaults={"customer": customer, "stage": record.stage, "updated_at": record.updated_at}
    )
    return application


def application_lead_create(
    *, number: str, contact, cedula: str, full_name: str, details: dict, now: datetime
) -> Application:
    """A "Nuevo crédito" lead as an application in recepción, the prospect's own: followed
    from the chat that sent it. It belongs to a customer only when the cédula typed is one
    whose registered phone is this chat's (a prospect cannot put an application in someone
    else's status by typing their cédula); otherwise it has none until the core lists it."""
    customer = Customer.objects.filter(cedula=cedula).first()
    if customer is not None and (not contact.wa_id or customer.phone != contact.wa_id):
        customer = None
    return Application.objects.create(
        number=number,
        customer=customer,
        stage=Application.Stage.RECEPCION,
        updated_at=now,
        origin=Application.Origin.WHATSAPP,
        contact=contact,
        details={"full_name": full_name, "cedula": cedula, **details},
    )


def application_subscribe(*, application: Application, contact) -> ApplicationSubscription:
    """Notify this WhatsApp contact when the application changes stage (idempotent)."""
    subscription, created = ApplicationSubscription.objects.get_or_create(application=application, contact=contact)
    if not created and not subscription.active:
        subscription.active = True
        subscription.save(update_fields=["active"])
    return subscription


# --- Events pushed by ProAlto's systems (the internal API, issue 13) ---------------------------


class PortfolioEventError(ValueError):
    """An event about something the source the bot reads does not have, or has as someone
    else's: `code` for the sender's program, `message` in Spanish for its people. Nothing is
    written; the sender may send the event again once the data reach the bot."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


EVENT_APPLIED, EVENT_UNCHANGED, EVENT_STALE = "applied", "unchanged", "stale"
# Core source only: the core does not show the event's change yet; the sync brings it when it does.
EVENT_AWAITING_CORE = "awaiting_core"
UNKNOWN_CUSTOMER, UNKNOWN_CREDIT, OTHER_CUSTOMERS = "cliente_desconocido", "credito_desconocido", "de_otro_cliente"
CREDIT_EVENTS = ("credito.pago", "credito.estado")


def portfolio_event_apply(*, kind: str, data: dict, occurred_at: datetime) -> str:
    """Apply one change ProAlto's systems pushed. Existence is judged against the source the
    bot reads (`portfolio_source()`): a credit or a customer it does not have raises
    PortfolioEventError; an application it does not have is created, as an import would.

    - Local source: the event's values are written exactly as an import or sync writes them
      (`_rows_write`: stages forward-only unless dated later, the stage change recorded and
      subscribers notified after commit); an application already dated after the event is
      EVENT_STALE.
    - Core source (the truth, read live): the event's values are never written. When the core
      shows the change, or something newer, the local copy of that customer, credit or
      application is refreshed now from the core's rows, as the sync would (so a stage change
      is notified now, and only once: whichever of the event and the sync writes it first
      records it, the other finds nothing new); when the core does not show it yet, nothing
      is written (EVENT_AWAITING_CORE) and the sync notifies when the core does. The bot's own
      "Nuevo crédito" leads are never in the core: their stage is written as with the local source.

    Returns EVENT_APPLIED, EVENT_UNCHANGED, EVENT_STALE or EVENT_AWAITING_CORE. `data` was
    checked by the caller (types, stage and status values). Raises PortfolioUnavailable
    (nothing written) when the core cannot answer.
    """
    source = portfolio_source()
    credit = application = None
    cedula = data.get("cedula") or ""
    if kind in CREDIT_EVENTS:
        credit = source.credit_by_number(data["numero"])
        if credit is None:
            raise PortfolioEventError(
                UNKNOWN_CREDIT, "El bot aún no tiene un crédito con este número; envíe el evento de nuevo más tarde."
            )
        cedula = credit.cedula
    customer = source.customer_by_cedula(cedula)
    if customer is None:
        raise PortfolioEventError(
            UNKNOWN_CUSTOMER, "El bot aún no tiene un cliente con esta cédula; envíe el evento de nuevo más tarde."
        )
    own_lead = None
    if kind == "solicitud.etapa":
        application = source.application_by_number(data["numero"])
        if application is None and source.live:  # a "Nuevo crédito" lead: the bot's own record, never in the core
            own_lead = (
                Application.objects.select_related("customer")
                .filter(number=data["numero"], origin=Application.Origin.WHATSAPP)
                .first()
            )
        if own_lead is not None:
            application = ApplicationRecord(
                number=own_lead.number,
                cedula=own_lead.customer.cedula if own_lead.customer else cedula,
                stage=own_lead.stage,
                updated_at=own_lead.updated_at,
                origin=own_lead.origin,
            )
        if application is not None and application.cedula != cedula:
            raise PortfolioEventError(OTHER_CUSTOMERS, "Esta solicitud es de otro cliente en los datos del bot.")
    if source.live and own_lead is None:
        return _event_core_refresh(
            kind=kind, data=data, occurred_at=occurred_at, customer=customer, credit=credit, application=application
        )
    if application is not None and application.updated_at > occurred_at:
        return EVENT_STALE
    row = _event_row(kind, data, cedula, occurred_at)
    if source.live:  # the bot's own lead: the customer's anchor written with the core's identity fields
        row.fields = _sync_rows({"customers": [asdict(customer)], "credits": [], "applications": []})[0].fields
    changed = _event_rows_write([row], now=occurred_at)
    return EVENT_APPLIED if changed else EVENT_UNCHANGED


def _event_row(kind: str, data: dict, cedula: str, occurred_at: datetime) -> CustomerRow:
    row = CustomerRow(line_no=0, fields={"cedula": cedula})
    if kind == "solicitud.etapa":
        row.applications.append({"number": data["numero"], "stage": data["etapa"], "updated_at": occurred_at})
    elif kind == "credito.pago":
        values = {"number": data["numero"], "balance": data["saldo"], "installments_paid": data["cuotas_pagadas"]}
        if "proximo_descuento" in data:
            values["next_deduction_date"] = data["proximo_descuento"]
        row.credits.append(values)
    elif kind == "credito.estado":
        row.credits.append({"number": data["numero"], "status": data["estado"]})
    elif kind == "cliente.contacto":
        row.fields["phone"] = data["celular"]
    else:
        raise ValueError(f"unknown event type {kind!r}")
    return row


def _event_core_refresh(*, kind: str, data: dict, occurred_at: datetime, customer, credit, application) -> str:
    if kind == "solicitud.etapa":
        record, shows = application, application is not None and application.stage == data["etapa"]
    elif kind == "credito.pago":
        record = credit
        shows = (credit.balance, credit.installments_paid) == (data["saldo"], data["cuotas_pagadas"]) and data.get(
            "proximo_descuento", credit.next_deduction_date
        ) == credit.next_deduction_date
    elif kind == "credito.estado":
        record, shows = credit, credit.status == data["estado"]
    else:
        record, shows = customer, (normalize_mobile(customer.phone) or customer.phone) == data["celular"]
    newer = record is not None and record.updated_at is not None and record.updated_at > occurred_at
    if not (shows or newer):
        return EVENT_AWAITING_CORE
    rows = _sync_rows(
        {
            "customers": [asdict(customer)],
            "credits": [asdict(credit)] if credit else [],
            "applications": [asdict(application)] if application else [],
        }
    )
    changed = _event_rows_write(rows, now=timezone.now())
    if not shows:
        return EVENT_STALE
    return EVENT_APPLIED if changed else EVENT_UNCHANGED


def _event_rows_write(rows: list[CustomerRow], *, now: datetime) -> bool:
    """Write rows as an import does; whether anything changed."""
    result = ImportResult()
    try:
        with transaction.atomic():
            _rows_write(rows, result, now=now)
    except ImportFileError as exc:  # moved to another customer meanwhile
        raise PortfolioEventError(OTHER_CUSTOMERS, "Pertenece a otro cliente en los datos del bot.") from exc
    return bool(
        result.created
        + result.updated
        + result.credits_created
        + result.credits_updated
        + result.applications_created
        + result.applications_updated
    )


# The renewal rules as the audit log names and shows them (Colombian formats).
RENEWAL_RULE_LABELS = {
    "min_paid_share": ("porción mínima pagada", lambda value: format_percent(value)),
    "amount_factor": ("multiplicador del monto", lambda value: f"{Decimal(value).normalize():f}".replace(".", ",")),
    "max_amount": ("monto máximo", format_cop),
    "monthly_rate": ("tasa mes vencida", lambda value: format_percent(value, 3)),
    "term_months": ("plazo máximo", lambda value: f"{value} meses"),
}


@transaction.atomic
def renewal_rules_publish(
    *,
    user,
    min_paid_share,
    amount_factor,
    max_amount,
    monthly_rate,
    term_months: int,
    reason: str,
    ip: str | None = None,
    now=None,
) -> RenewalRuleSet:
    """A new version of the renewal rules, in force from now; earlier versions stay as they were.

    The change goes to the staff audit log too (who, when, each value old -> new, why), in
    the same transaction: a version nobody can account for is never in force."""
    if not (reason or "").strip():
        raise ValueError("Escribe el motivo del cambio.")
    before = eligibility.renewal_rules()
    rules = RenewalRuleSet(
        min_paid_share=min_paid_share,
        amount_factor=amount_factor,
        max_amount=max_amount,
        monthly_rate=monthly_rate,
        term_months=term_months,
        reason=reason.strip(),
        created_by=user,
        created_by_name=user.get_username() if user else "",
        created_at=now or timezone.now(),
    )
    rules.full_clean()
    rules.save()
    if user is not None:
        audit_record(
            user=user,
            action=AuditAction.CHANGE_RENEWAL_RULES,
            obj=rules,
            fields=[*renewal_rules_changes(before=before, after=rules), f"motivo: {rules.reason}"],
            ip=ip,
        )
    logger.info("renewal rules v%s published by %s", rules.pk, getattr(user, "pk", "system"))
    return rules


def renewal_rule_shown(name: str, value) -> str:
    """One renewal rule's value as staff read it ("1,8 %", "$60.000.000", "72 meses")."""
    return RENEWAL_RULE_LABELS[name][1](value)


def renewal_rules_changes(*, before, after) -> list[str]:
    """Each value that changed, as "tasa mes vencida: 1,8 % → 1,5 %" (nothing changed: said so)."""
    changes = []
    for name, (label, shown) in RENEWAL_RULE_LABELS.items():
        old, new = getattr(before, name), getattr(after, name)
        if Decimal(str(old)) != Decimal(str(new)):
            changes.append(f"{label}: {shown(old)} → {shown(new)}")
    return changes or ["sin cambios en los valores"]
