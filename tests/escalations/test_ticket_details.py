"""What the flows collected, as the chat page's side panel shows it: Spanish labels, values
formatted as people read them, masked by role, documents as links to the audited download."""

import re
from datetime import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from conversations.bot.flows.nuevo_credito import FIELDS
from conversations.models import Contact
from documents.models import Document
from escalations.models import Ticket
from proalto.colombia import BOGOTA

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# What renovacion.py puts in the ticket (credits.eligibility's offer, formatted by the flow).
OFFER = {
    "credit": "LIB-000201",
    "new_amount": "$17.400.000",
    "balance": "$6.900.000",
    "additional_amount": "$10.500.000",
    "installment": "$380.000",
    "term_months": 72,
    "monthly_rate": "0.018",
}


def _ticket(reason, details, *, wa_id="573000000001"):
    contact = Contact.objects.create(wa_id=wa_id, last_inbound_at=timezone.now())
    return Ticket.objects.create(contact=contact, reason=reason, details=details)


def _document(ticket, name, *, linked=True):
    return Document.objects.create(
        kind=Document.Kind.UPLOAD,
        file=ContentFile(PDF, name="x.pdf"),
        original_name=name,
        mime_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        contact=ticket.contact,
        ticket=ticket if linked else None,
    )


def _panel(client, ticket) -> str:
    page = client.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    found = re.search(r'<dl class="facts" id="ticket-details">(.*?)<h2>Documentos de este chat</h2>', page, re.S)
    return found.group(1)


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_detail_the_flows_collect_has_a_spanish_label():
    from escalations.details import LABELS

    assert set(FIELDS) | {"documents"} | set(OFFER) | {"offer", "locks_24h", "other_reasons"} <= set(LABELS)


def test_the_new_credit_lead_reads_in_spanish_masked_with_its_documents(logged_in, settings):
    ticket = _ticket(
        Ticket.Reason.NEW_APPLICATION,
        {
            "full_name": "Pedro Pérez Gómez",
            "cedula": "1098765432",
            "city": "Medellín",
            "pagaduria": "Colpensiones",
            "best_time": "manana",
            "documents": [],
        },
    )
    first = _document(ticket, "desprendible.pdf")
    # Sent for an escalation that joined the already open ticket: only the chat's, not linked to it.
    second = _document(ticket, "cedula_1098765432.pdf", linked=False)
    ticket.details["documents"] = [first.pk, second.pk]
    ticket.save()

    advisor = logged_in("Asesor")
    panel = _panel(advisor, ticket)
    words = _words(panel)
    for label, value in [
        ("Nombre completo", "Pedro Pérez Gómez"),
        ("Cédula", "•••••••432"),
        ("Ciudad", "Medellín"),
        ("Pagaduría", "Colpensiones"),
        ("Contacto preferido", "Llamada en la mañana"),
    ]:
        assert f"{label} {value}" in words, words
    assert "1098765432" not in panel  # nor in a document's name
    assert not re.search(r"Full name|Cedula\b|Best time|Documents|\[\d", panel)
    # Not holding the ticket: the names, no links; holding it: links to the audited download.
    assert "desprendible.pdf" in words and "/download/" not in panel and "toma el caso para descargarlo" in words
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    panel = _panel(advisor, ticket)
    for document in (first, second):
        assert f'href="/admin/documents/document/{document.pk}/download/"' in panel
    download = advisor.get(f"/admin/documents/document/{first.pk}/download/")
    # Local files are streamed by the view; on S3 the view redirects to a signed URL.
    on_s3 = settings.STORAGES["default"]["BACKEND"].endswith("S3Storage")
    assert download.status_code == (302 if on_s3 else 200)

    # A supervisor sees the cédula in full.
    assert "1098765432" in _panel(logged_in("Supervisor"), ticket)


def test_the_renewal_offer_is_formatted_and_its_amounts_masked_until_the_ticket_is_held(logged_in, staff):
    laura = staff("laura", "Asesor")
    luis = staff("luis", "Asesor")
    boss = staff("jefa", "Supervisor")
    at = datetime(2026, 11, 30, 15, 45, tzinfo=BOGOTA)
    ticket = _ticket(
        Ticket.Reason.RENEWAL,
        {
            "offer": OFFER,
            "documents": [],
            "other_reasons": ["asked_human"],
            "reassigned": [{"at": at.isoformat(), "from": laura.user.pk, "to": luis.user.pk, "by": boss.user.pk}],
        },
    )
    advisor = logged_in("Asesor")
    words = _words(_panel(advisor, ticket))
    assert "Oferta de renovación" in words and "Crédito a renovar LIB-000201" in words
    assert "Monto del nuevo crédito $•••" in words and "17.400.000" not in words
    assert "Plazo 72 meses" in words and "Tasa mensual 1,8 %" in words
    assert "Otros motivos Pidió un asesor" in words
    assert "Reasignaciones 30 de noviembre de 2026, 3:45 p. m.: de laura a luis, por jefa" in words
    assert not re.search(r"[\[{]'|'[\]}]|0\.018|asked_human|monthly_rate", words), words

    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    words = _words(_panel(advisor, ticket))
    for label, value in [
        ("Monto del nuevo crédito", "$17.400.000"),
        ("Saldo actual", "$6.900.000"),
        ("Dinero adicional", "$10.500.000"),
        ("Cuota mensual", "$380.000"),
    ]:
        assert f"{label} {value}" in words


def test_a_locked_validation_shows_the_masked_cedula_and_the_locks(logged_in):
    ticket = _ticket(Ticket.Reason.LOCKED_VALIDATION, {"cedula": "•••••••050", "locks_24h": 2})
    words = _words(_panel(logged_in("Asesor"), ticket))
    assert "Cédula •••••••050" in words and "Bloqueos en las últimas 24 horas 2" in words
