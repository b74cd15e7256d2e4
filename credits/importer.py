"""The core system's export, read and checked: JSON Lines, one customer per line with
its `credits` and `applications` (the format is described in credits.services.clients_import).

No database here: `parse_file` turns the lines into rows or raises `ImportFileError` for the
first invalid one, so clients_import can check the whole file before writing anything.
Messages never include the customer's personal data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from credits.models import Application, Credit
from credits.portfolio import CREDIT_COLUMNS
from proalto.colombia import normalize_mobile
from proalto.text import fold


class ImportFileError(Exception):
    """A line of the export is invalid; nothing of the file was imported."""

    def __init__(self, line_no: int, message: str):
        self.line_no = line_no
        self.message = message
        super().__init__(f"line {line_no}: {message}")


_CEDULA_RE = re.compile(r"^\d{5,10}$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_AMOUNT = Decimal("1e12")  # DecimalField(max_digits=14, decimal_places=2)

_CUSTOMER_KEYS = {"cedula", "full_name", "phone", "birth_date", "cedula_issue_date", "credits", "applications"}
# A line's credit is a row of the core's proalto_bot.credits without its customer and date.
_CREDIT_KEYS = set(CREDIT_COLUMNS) - {"cedula", "updated_at"}
_APPLICATION_KEYS = {"number", "stage", "updated_at"}


class _Invalid(Exception):
    pass


@dataclass
class CustomerRow:
    """One line of the export, checked and converted to the models' types."""

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


def _parse_line(raw: str, line_no: int) -> CustomerRow:
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

    row = CustomerRow(line_no=line_no, fields=fields)
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


def parse_file(lines: Iterable[str]) -> list[CustomerRow]:
    rows: list[CustomerRow] = []
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
