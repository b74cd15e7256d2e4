"""The customer beside the chat (the inbox's right pane): who they are, their consent, credits,
applications, this chat's documents, earlier cases and the 24-hour window, masked by role.

Reads other apps only through their selectors (credits, consent, documents); what is shown is
listed in ``seen`` for the audit log, as the chat page does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from consent import selectors as consent_selectors
from credits import selectors as credit_selectors
from documents import selectors as document_selectors
from escalations import privacy, selectors
from escalations.models import Ticket
from proalto.colombia import format_cop, format_date_long, format_time

WINDOW = timedelta(hours=24)
CONSENT_LABELS = {
    "accepted": "Aceptó",
    "declined": "No aceptó",
    "revoked": "Revocó",
}


@dataclass
class CustomerPanel:
    name: str = ""
    profile_name: str = ""
    cedula: str = ""
    phone: str = ""
    registered_phone: str = ""
    consent: str = ""
    consent_detail: str = ""
    consent_ok: bool = False
    credits: list[dict] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)  # most recently updated first
    portfolio_as_of: str = ""  # the local copy's cut-off ("" when read live from the core)
    portfolio_error: bool = False  # the core could not be read
    documents: list[dict] = field(default_factory=list)
    previous: list[dict] = field(default_factory=list)
    window_open: bool = False
    window_left: str = ""
    window_until: str = ""
    seen: list[str] = field(default_factory=list)


def moment_label(moment) -> str:
    """`30 de noviembre de 2026, 3:45 p. m.`; today only `3:45 p. m.`."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return format_time(local)
    return f"{format_date_long(local)}, {format_time(local)}"


def duration_label(delta: timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def customer_panel_for(user, ticket: Ticket, *, now=None) -> CustomerPanel:
    now = now or timezone.now()
    contact = ticket.contact
    panel = CustomerPanel(profile_name=contact.profile_name)
    panel.phone, phone_full = privacy.phone_for(user, contact.wa_id or "", ticket=ticket)
    if not contact.wa_id:
        panel.phone = contact.masked
    panel.seen.append("teléfono completo" if phone_full else "teléfono enmascarado")
    _window(panel, contact, now)
    _consent(panel, contact)
    customer = credit_selectors.customer_by_id(customer_id=ticket.customer_id)
    if customer is not None:
        panel.name = customer.full_name
        panel.cedula, cedula_full = privacy.cedula_for(user, customer.cedula)
        panel.registered_phone, _ = privacy.phone_for(user, customer.phone, ticket=ticket)
        panel.seen += ["nombre", "cédula completa" if cedula_full else "cédula enmascarada"]
        _credits(panel, user, ticket, customer)
    _documents(panel, user, contact)
    _previous(panel, ticket)
    return panel


def _window(panel: CustomerPanel, contact, now) -> None:
    if contact.last_inbound_at is None:
        return
    closes = contact.last_inbound_at + WINDOW
    panel.window_open = closes > now
    if panel.window_open:
        panel.window_left = duration_label(closes - now)
        panel.window_until = moment_label(closes)


def _consent(panel: CustomerPanel, contact) -> None:
    last = consent_selectors.contact_last_consent(contact=contact)
    answer = consent_selectors.contact_consent_answer(contact=contact)
    if last is None:
        panel.consent = "Sin respuesta"
        return
    panel.consent_ok = answer == "accepted"
    version = last.policy_version.version
    if answer is None and last.answer == "accepted":
        panel.consent = "Aceptó una versión anterior"
    else:
        panel.consent = CONSENT_LABELS.get(last.answer, last.answer)
    panel.consent_detail = f"PTI {version} · {moment_label(last.answered_at)}"


def _credits(panel: CustomerPanel, user, ticket: Ticket, customer) -> None:
    """Credits and applications, from the source in use (the core, live, or the
    local copy with its cut-off); when the core cannot answer the panel says so."""
    data = credit_selectors.customer_panel(customer=customer)
    panel.portfolio_error = data["error"]
    if data["as_of"] is not None and not data["live"]:
        as_of = timezone.localtime(data["as_of"])
        panel.portfolio_as_of = f"{format_date_long(as_of)}, {format_time(as_of)}"
    for credit in data["credits"]:
        balance, full = privacy.amount_for(user, format_cop(credit.balance), ticket=ticket)
        installment, _ = privacy.amount_for(user, format_cop(credit.installment_amount), ticket=ticket)
        panel.credits.append(
            {
                "number": credit.number,
                "pagaduria": credit.pagaduria,
                "status": credit_selectors.credit_status_label(credit.status),
                "status_key": credit.status,
                "balance": balance,
                "installment": installment,
                "installments": f"{credit.installments_paid} de {credit.installments_total}",
                "next_deduction": format_date_long(credit.next_deduction_date) if credit.next_deduction_date else "—",
            }
        )
    if panel.credits:
        panel.seen.append("créditos (montos completos)" if full else "créditos (montos enmascarados)")
    for application in data["applications"]:
        panel.applications.append(
            {
                "number": application.number,
                "stage": credit_selectors.application_stage_label(application.stage),
                "updated": format_date_long(timezone.localtime(application.updated_at)),
            }
        )
    if panel.applications:
        panel.seen.append("solicitudes")


def _documents(panel: CustomerPanel, user, contact) -> None:
    for document in document_selectors.contact_documents(contact=contact):
        name = privacy.message_text_for(user, document.original_name, from_customer=True) or "Documento"
        allowed = privacy.can_download(user, document)
        panel.documents.append(
            {
                "name": name,
                "url": reverse("admin:documents_document_download", args=[document.pk]) if allowed else "",
                "when": moment_label(document.created_at),
            }
        )
    if panel.documents:
        panel.seen.append("nombres de documentos")


def _previous(panel: CustomerPanel, ticket: Ticket) -> None:
    for earlier in selectors.contact_tickets_previous(ticket=ticket):
        panel.previous.append(
            {
                "pk": earlier.pk,
                "reason": earlier.get_reason_display(),
                "status": earlier.get_status_display(),
                "outcome": earlier.get_outcome_display() if earlier.outcome else "",
                "when": format_date_long(timezone.localtime(earlier.created_at)),
                "url": reverse("admin:escalations_ticket_chat", args=[earlier.pk]),
            }
        )
