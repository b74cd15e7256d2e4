"""Writes to customers, credits and applications: the core system's export import,
stage changes made in the admin, and subscriptions to stage-change notifications.

The export is JSON Lines, one customer per line (see `clients_import`). The import is
all-or-nothing: every line is validated first, then everything is written in a single
transaction, so a bad line leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from credits.importer import CustomerRow, ImportFileError, parse_file
from credits.models import (
    Application,
    ApplicationStageChange,
    ApplicationSubscription,
    Credit,
    Customer,
    RenewalRuleSet,
)
from credits.notifications import stage_changes_enqueue


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
    rows = parse_file(lines)
    result = ImportResult()
    now = timezone.now()

    with transaction.atomic():
        customers = Customer.objects.in_bulk([r.fields["cedula"] for r in rows], field_name="cedula")
        credits = Credit.objects.in_bulk([c["number"] for r in rows for c in r.credits], field_name="number")
        applications = Application.objects.in_bulk(
            [a["number"] for r in rows for a in r.applications], field_name="number"
        )
        for row in rows:
            customer = _customer_write(row, customers.get(row.fields["cedula"]), result)
            _credits_write(row, customer, credits, result)
            _applications_write(row, customer, applications, result, now=now)
        if result.stage_changes:
            _notify_after_commit()
    return result


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
        if application.customer_id != customer.pk:
            raise ImportFileError(row.line_no, f"application {application.number} belongs to another customer")
        from_stage = application.stage
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


def renewal_rules_publish(
    *,
    user,
    min_paid_share,
    amount_factor,
    max_amount,
    monthly_rate,
    term_months: int,
    reason: str,
    now=None,
) -> RenewalRuleSet:
    """A new version of the renewal rules, in force from now; earlier versions stay as they were."""
    if not (reason or "").strip():
        raise ValueError("Escribe el motivo del cambio.")
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
    return rules
