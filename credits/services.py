"""Writes to customers, credits and applications: the core system's export import,
stage changes made in the admin, and subscriptions to stage-change notifications.

The export is JSON Lines, one customer per line (see `clients_import`). The import is
all-or-nothing: every line is validated first, then everything is written in a single
transaction, so a bad line leaves the database exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from proalto.colombia import normalize_mobile
from proalto.text import fold

from credits.notifications import stage_changes_enqueue

from .models import Application, ApplicationStageChange, ApplicationSubscription, Credit, Customer


class ImportFileError(Exception):
    """A line of the export is invalid; nothing of the file was imported."""

    def __init__(self, line_no: int, message: str):
        self.line_no = line_no
        self.message = message
        super().__init__(f"line {line_no}: {message}")


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


# --- Parsing and validation (no database) -------------------------------------------

_CEDULA_RE = re.compile(r"^\d{5,10}$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_AMOUNT = Decimal("1e12")  # DecimalField(max_digits=14, decimal_places=2)

_CUSTOMER_KEYS = {"cedula", "full_name", "phone", "birth_date", "cedula_issue_date", "credits", "applications"}
_CREDIT_KEYS = {
    "number",
    "pagaduria",
    "disbursed_amount",
    "balance",
    "installments_total",
    "installments_paid",
    "installment_amount",
    "next_deduction_date",
    "status",
}
_APPLICATION_KEYS = {"number", "stage", "updated_at"}


class _Invalid(Exception):
    pass


@dataclass
class _CustomerRow:
    line_no: int
    # Only the keys present on the line: absent optional keys leave stored values alone.
    fields: dict[str, Any]
    credits: list[dict[str, Any]] = field(default_factory=list)
    applications: list[dict[str, Any]] = field(default_factory=list)


def _fold(value: str) -> str:
    """Lower case, no accents, trimmed: "Aprobación " -> "aprobacion"."""
    return fold(value.strip())


def _check_keys(data: dict, *, required: Iterable[str], allowed: set[str], where: str) -> None:
    """Every required key is present and nothing outside `allowed` is."""
    missing = [k for k in required if k not in data]
    if missing:
        raise _Invalid(f"{where}missing required key(s): {', '.join(missing)}")
    unknown = set(data) - allowed
    if unknown:
        raise _Invalid(f"{where}unknown key(s): {', '.join(sorted(unknown))}")


def _text(value: Any, name: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"{name} must be a non-empty string")
    value = " ".join(value.split())
    if len(value) > max_length:
        raise _Invalid(f"{name} is longer than {max_length} characters")
    return value


def _iso_date(value: Any, name: str, *, nullable: bool) -> date | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value):
        raise _Invalid(f"{name} must be an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"{name} is not a valid date") from None


def _iso_datetime(value: Any, name: str) -> datetime:
    if not isinstance(value, str):
        raise _Invalid(f"{name} must be an ISO date-time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"{name} must be an ISO date-time") from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # the project's zone: America/Bogota
    return parsed


def _amount(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise _Invalid(f"{name} must be a decimal amount")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise _Invalid(f"{name} must be a decimal amount") from None
    if not amount.is_finite() or amount < 0:
        raise _Invalid(f"{name} must be a non-negative amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise _Invalid(f"{name} has more than 2 decimal places")
    if amount >= _MAX_AMOUNT:
        raise _Invalid(f"{name} is too large")
    return amount.quantize(Decimal("0.01"))


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Invalid(f"{name} must be a non-negative integer")
    return value


def _choice(value: Any, name: str, choices: type[Credit.Status] | type[Application.Stage]) -> str:
    if not isinstance(value, str) or _fold(value) not in choices.values:
        raise _Invalid(f"unknown {name} {value!r} (expected one of: {', '.join(choices.values)})")
    return _fold(value)


def _cedula(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _CEDULA_RE.match(value.strip()):
        # The value is not echoed: it is personal data.
        raise _Invalid("cedula must be 5 to 10 digits")
    return value.strip()


def _parse_credit(data: Any, index: int) -> dict[str, Any]:
    where = f"credits[{index}]: "
    if not isinstance(data, dict):
        raise _Invalid(f"{where}must be an object")
    _check_keys(data, required=sorted(_CREDIT_KEYS - {"next_deduction_date"}), allowed=_CREDIT_KEYS, where=where)
    try:
        credit = {
            "number": _text(data["number"], "number", 32),
            "pagaduria": _text(data["pagaduria"], "pagaduria", 120),
            "disbursed_amount": _amount(data["disbursed_amount"], "disbursed_amount"),
            "balance": _amount(data["balance"], "balance"),
            "installments_total": _count(data["installments_total"], "installments_total"),
            "installments_paid": _count(data["installments_paid"], "installments_paid"),
            "installment_amount": _amount(data["installment_amount"], "installment_amount"),
            "next_deduction_date": _iso_date(data.get("next_deduction_date"), "next_deduction_date", nullable=True),
            "status": _choice(data["status"], "status", Credit.Status),
        }
    except _Invalid as exc:
        raise _Invalid(f"{where}{exc}") from None
    if credit["installments_total"] < 1:
        raise _Invalid(f"{where}installments_total must be at least 1")
    if credit["installments_paid"] > credit["installments_total"]:
        raise _Invalid(f"{where}installments_paid is greater than installments_total")
    return credit


def _parse_application(data: Any, index: int) -> dict[str, Any]:
    where = f"applications[{index}]: "
    if not isinstance(data, dict):
        raise _Invalid(f"{where}must be an object")
    _check_keys(data, required=("number", "stage"), allowed=_APPLICATION_KEYS, where=where)
    try:
        application = {
            "number": _text(data["number"], "number", 32),
            "stage": _choice(data["stage"], "stage", Application.Stage),
        }
        if data.get("updated_at") is not None:
            application["updated_at"] = _iso_datetime(data["updated_at"], "updated_at")
    except _Invalid as exc:
        raise _Invalid(f"{where}{exc}") from None
    return application


def _parse_line(raw: str, line_no: int) -> _CustomerRow:
    try:
        data = json.loads(raw, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise _Invalid(f"invalid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise _Invalid("each line must be a JSON object")
    _check_keys(data, required=("cedula", "full_name", "phone"), allowed=_CUSTOMER_KEYS, where="")

    phone = normalize_mobile(data["phone"]) if isinstance(data["phone"], str) else None
    if phone is None:
        raise _Invalid("phone is not a valid Colombian mobile number")
    fields: dict[str, Any] = {
        "cedula": _cedula(data["cedula"]),
        "full_name": _text(data["full_name"], "full_name", 200),
        "phone": phone,
    }
    for key in ("birth_date", "cedula_issue_date"):
        if key in data:
            fields[key] = _iso_date(data[key], key, nullable=True)
    birth, issued = fields.get("birth_date"), fields.get("cedula_issue_date")
    if birth and birth > timezone.localdate():
        raise _Invalid("birth_date is in the future")
    if issued and issued > timezone.localdate():
        raise _Invalid("cedula_issue_date is in the future")
    if birth and issued and issued < birth:
        raise _Invalid("cedula_issue_date is before birth_date")

    row = _CustomerRow(line_no=line_no, fields=fields)
    for key, parse, target in (
        ("credits", _parse_credit, row.credits),
        ("applications", _parse_application, row.applications),
    ):
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise _Invalid(f"{key} must be a list")
        seen: set[str] = set()
        for index, item in enumerate(items):
            parsed = parse(item, index)
            if parsed["number"] in seen:
                raise _Invalid(f"{key}[{index}]: number {parsed['number']} appears twice on the line")
            seen.add(parsed["number"])
            target.append(parsed)
    return row


def _parse_file(lines: Iterable[str]) -> list[_CustomerRow]:
    rows: list[_CustomerRow] = []
    cedula_lines: dict[str, int] = {}
    credit_lines: dict[str, int] = {}
    application_lines: dict[str, int] = {}
    for line_no, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if line_no == 1:
            raw = raw.lstrip("\ufeff")  # tolerate a UTF-8 BOM
        try:
            row = _parse_line(raw, line_no)
        except _Invalid as exc:
            raise ImportFileError(line_no, str(exc)) from None
        previous = cedula_lines.setdefault(row.fields["cedula"], line_no)
        if previous != line_no:
            raise ImportFileError(line_no, f"duplicated cedula (already on line {previous})")
        for items, seen, label in (
            (row.credits, credit_lines, "credit"),
            (row.applications, application_lines, "application"),
        ):
            for item in items:
                previous = seen.setdefault(item["number"], line_no)
                if previous != line_no:
                    raise ImportFileError(line_no, f"{label} {item['number']} is also on line {previous}")
        rows.append(row)
    return rows


# --- Writing ------------------------------------------------------------------------


def _apply(instance, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def clients_import(*, lines: Iterable[str]) -> ImportResult:
    """Import the core system's JSON Lines export, all or nothing.

    One customer per line, with its `credits` and `applications`. Customers are matched
    by cédula, credits and applications by number; existing rows are updated in place.
    Credits and applications absent from a customer's line are left as they are (the
    export may be partial; the core system never deletes them). Optional customer keys
    absent from a line (birth_date, cedula_issue_date) keep their stored value; an
    explicit null clears them.

    A changed application stage records an `ApplicationStageChange` (what customer
    notifications react to); a new application records none.

    Raises `ImportFileError(line_no, message)` for the first invalid line, before
    anything is written. Messages never include the customer's personal data.
    """
    rows = _parse_file(lines)
    result = ImportResult()
    now = timezone.now()

    with transaction.atomic():
        customers = Customer.objects.in_bulk([r.fields["cedula"] for r in rows], field_name="cedula")
        credits = Credit.objects.in_bulk(
            [c["number"] for r in rows for c in r.credits], field_name="number"
        )
        applications = Application.objects.in_bulk(
            [a["number"] for r in rows for a in r.applications], field_name="number"
        )

        for row in rows:
            customer = customers.get(row.fields["cedula"])
            if customer is None:
                customer = Customer.objects.create(**row.fields)
                result.created += 1
            elif changed := _apply(customer, row.fields):
                customer.save(update_fields=[*changed, "updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1

            for values in row.credits:
                credit = credits.get(values["number"])
                if credit is None:
                    Credit.objects.create(customer=customer, **values)
                    result.credits_created += 1
                    continue
                if credit.customer_id != customer.pk:
                    raise ImportFileError(row.line_no, f"credit {credit.number} belongs to another customer")
                if changed := _apply(credit, values):
                    credit.save(update_fields=changed)
                    result.credits_updated += 1

            for values in row.applications:
                application = applications.get(values["number"])
                if application is None:
                    Application.objects.create(customer=customer, **{"updated_at": now, **values})
                    result.applications_created += 1
                    continue
                if application.customer_id != customer.pk:
                    raise ImportFileError(
                        row.line_no, f"application {application.number} belongs to another customer"
                    )
                from_stage = application.stage
                if changed := _apply(application, values):
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
        if result.stage_changes:
            _notify_after_commit()
    return result


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
        locked.save(update_fields=["stage", "updated_at"])
        _notify_after_commit()
    application.stage, application.updated_at = stage, now
    return change


def application_subscribe(*, application: Application, contact) -> ApplicationSubscription:
    """Notify this WhatsApp contact when the application changes stage (idempotent)."""
    subscription, created = ApplicationSubscription.objects.get_or_create(application=application, contact=contact)
    if not created and not subscription.active:
        subscription.active = True
        subscription.save(update_fields=["active"])
    return subscription
