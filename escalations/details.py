"""How a ticket's details read on the staff screens: Spanish labels, values as people read
them ($17.400.000, 1,8 %, 30 de noviembre de 2026), masked by role, documents as links to
the audited download.

The details are what the flows collected when they escalated (conversations/bot/flows:
nuevo_credito's contact data and documents, renovacion's offer and documents, identidad's
locked validation) plus what escalations.services adds (other reasons, reassignments).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.urls import reverse

from escalations import privacy
from escalations.models import Ticket
from proalto.colombia import format_cop, format_date_long, format_time

LABELS = {
    # Nuevo crédito: the prospect's contact data.
    "full_name": "Nombre completo",
    "cedula": "Cédula",
    "city": "Ciudad",
    "pagaduria": "Pagaduría",
    "best_time": "Contacto preferido",
    "documents": "Documentos",
    "application": "Solicitud radicada",
    # Paz y salvo to verify: the cut-off of the data it was asked from.
    "cutoff": "Corte de los datos",
    # Renovación: the pre-approved offer.
    "offer": "Oferta de renovación",
    "credit": "Crédito a renovar",
    "new_amount": "Monto del nuevo crédito",
    "balance": "Saldo actual",
    "additional_amount": "Dinero adicional",
    "installment": "Cuota mensual",
    "term_months": "Plazo",
    "monthly_rate": "Tasa mensual",
    # Identidad: validation locked.
    "locks_24h": "Bloqueos en las últimas 24 horas",
    # escalations.services.
    "other_reasons": "Otros motivos",
    "reassigned": "Reasignaciones",
}
BEST_TIMES = {
    "manana": "Llamada en la mañana",
    "tarde": "Llamada en la tarde",
    "cualquier_hora": "Llamada a cualquier hora",
    "chat": "Por este chat (sin llamada)",
}
MONEY = {"new_amount", "balance", "additional_amount", "installment"}


@dataclass
class DetailRow:
    """One fact of the case: a text, a list, documents (name and download URL, "" if not
    allowed) or, for a group such as the offer, rows of its own."""

    label: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    rows: list[DetailRow] = field(default_factory=list)


@dataclass
class _Reading:
    user: object
    ticket: Ticket
    seen: set[str] = field(default_factory=set)


def ticket_details_for(user, ticket: Ticket) -> tuple[list[DetailRow], list[str]]:
    """The ticket's details as this user may see them, and what of them was shown (for the audit log)."""
    reading = _Reading(user=user, ticket=ticket)
    rows = [_row(reading, key, value) for key, value in (ticket.details or {}).items() if value not in ("", None, [])]
    if rows:
        reading.seen.add("datos del caso")
    return rows, sorted(reading.seen)


def _row(reading: _Reading, key: str, value) -> DetailRow:
    label = LABELS.get(key) or key.replace("_", " ").capitalize()
    if key == "documents":
        return DetailRow(label, documents=_documents(reading, value))
    if key == "other_reasons":
        return DetailRow(label, items=[_reason(reason) for reason in value])
    if key == "reassigned":
        return DetailRow(label, items=_reassignments(value))
    if isinstance(value, dict):
        return DetailRow(label, rows=[_row(reading, k, v) for k, v in value.items() if v not in ("", None, [])])
    if isinstance(value, list):
        return DetailRow(label, items=[_text(reading, key, item) for item in value])
    return DetailRow(label, text=_text(reading, key, value))


def _text(reading: _Reading, key: str, value) -> str:
    user, ticket = reading.user, reading.ticket
    if key == "cedula":
        shown, full = privacy.cedula_for(user, str(value))
        reading.seen.add("cédula completa del caso" if full else "cédula enmascarada del caso")
        return shown
    if key in MONEY:
        shown, full = privacy.amount_for(user, _money(value), ticket=ticket)
        reading.seen.add("montos completos" if full else "montos enmascarados")
        return shown
    if key == "best_time":
        return BEST_TIMES.get(value, str(value))
    if key == "monthly_rate":
        return _percent(value)
    if key == "term_months":
        return f"{value} mes" if str(value) == "1" else f"{value} meses"
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, str):
        moment = _moment(value)
        if moment is not None:
            return moment
        return privacy.message_text_for(user, value, from_customer=True)
    return str(value)


def _money(value) -> str:
    if isinstance(value, str) and value.strip().startswith("$"):
        return value.strip()  # the flows store it formatted already
    try:
        return format_cop(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


def _percent(value) -> str:
    """A monthly rate stored as a fraction ("0.018") as Colombians write it: "1,8 %"."""
    try:
        percent = Decimal(str(value)) * 100
    except InvalidOperation:
        return str(value)
    text = f"{percent.quantize(Decimal('0.01')).normalize():f}".replace(".", ",")
    return f"{text} %"


def _moment(value: str) -> str | None:
    """An ISO date or date-time as a person reads it; None if the text is not one."""
    if len(value) < 10 or not value[:4].isdigit() or value[4:5] != "-":
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) == 10:
        return format_date_long(date(moment.year, moment.month, moment.day))
    if moment.tzinfo is None:
        return format_date_long(moment.date())
    return f"{format_date_long(moment)}, {format_time(moment)}"


def _reason(value: str) -> str:
    try:
        return Ticket.Reason(value).label
    except ValueError:
        return str(value)


def _reassignments(entries: list) -> list[str]:
    users = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(
            pk__in={e.get(k) for e in entries if isinstance(e, dict) for k in ("from", "to", "by")}
        )
    }

    def name(pk) -> str:
        return users.get(pk, "nadie" if pk is None else f"usuario #{pk}")

    lines = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        when = _moment(str(entry.get("at", ""))) or ""
        who = f"de {name(entry.get('from'))} a {name(entry.get('to'))}, por {name(entry.get('by'))}"
        lines.append(f"{when}: {who}" if when else who)
    return lines


def _documents(reading: _Reading, ids) -> list[dict]:
    """The documents the flow listed, as links to the audited download when this user may
    download them (escalations.privacy.can_download)."""
    ids = [pk for pk in (ids if isinstance(ids, list) else []) if isinstance(pk, int)]
    # Linked to the ticket when it opened; one that joined an already open ticket is only the chat's.
    candidates = reading.ticket.documents.filter(pk__in=ids) | reading.ticket.contact.documents.filter(pk__in=ids)
    found = {document.pk: document for document in candidates}
    shown = []
    for number, pk in enumerate(ids, start=1):
        document = found.get(pk)
        if document is None:
            shown.append({"name": f"Documento {number} (ya no está disponible)", "url": ""})
            continue
        name = privacy.message_text_for(reading.user, document.original_name, from_customer=True)
        allowed = privacy.can_download(reading.user, document)
        shown.append(
            {
                "name": name or f"Documento {number}",
                "url": reverse("admin:documents_document_download", args=[pk]) if allowed else "",
            }
        )
    if shown:
        reading.seen.add("nombres de documentos")
    return shown
