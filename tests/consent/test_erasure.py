"""Supresión: an accepted "suprimir" request erases the person's conversational data and
documents, and keeps only what the law requires (consent proof, credit records, the request)."""

from __future__ import annotations

import io
import secrets

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from consent.erasure import ERASED, contact_personal_data_erase
from consent.models import ConsentRecord, DataRightsRequest
from consent.services import rights_request_open
from consent.signals import personal_data_erase
from conversations.models import (
    Contact,
    ConversationSession,
    CsatSurvey,
    InboundMessage,
    OutboundMessage,
    ResolvedRequest,
)
from credits.models import Credit, Customer
from documents.models import Document, PazYSalvo
from documents.services import document_store_upload
from escalations.management.commands.create_staff import staff_create
from escalations.models import Ticket
from tests.consent.test_admin_compliance import _verified_client
from tests.e2e.sample_files import pdf_bytes
from tests.support import texts

PDF = pdf_bytes("Desprendible de Ana")
CARLOS = ("573009876543", "79456123", "20/09/1973")  # everything paid: gets a paz y salvo


@pytest.fixture
def ana_history(consented_chat, portfolio):
    """Ana chatted, sent a document, talked to an advisor and rated the service."""
    ana = consented_chat()
    ana.says("Mi cédula es 1020304050 y quiero saber mi saldo")
    ana.says("asesor")
    contact = Contact.objects.get(wa_id=ana.wa_id)
    message = contact.inbound.order_by("-id").first()
    document = document_store_upload(
        data=PDF, filename="desprendible ana.pdf", contact=contact, inbound_message=message
    )
    ticket = Ticket.objects.get(contact=contact)
    Ticket.objects.filter(pk=ticket.pk).update(details={"telefono": "3001234567", "nota": "Ana Lucía Gómez"})
    CsatSurvey.objects.create(
        contact=contact, trigger="flow", due_at=timezone.now(), rating=4, comment="Ana, muy bien", status="answered"
    )
    ResolvedRequest.objects.create(contact=contact, flow="saldo")
    session = contact.session
    session.data = {"cedula": "1020304050"}
    session.save()
    return ana, contact, document


def _compliance_client():
    call_command("setup_roles", stdout=io.StringIO())
    device = staff_create(
        username=f"cumplimiento-{secrets.token_hex(3)}", role="Cumplimiento", password=f"Clave-{secrets.token_hex(8)}"
    )
    return _verified_client(device.user), device.user


def test_accepted_suprimir_request_erases_conversations_and_keeps_legal_records(ana_history):
    ana, contact, document = ana_history
    file_name = document.file.name
    assert default_storage.exists(file_name)
    consents_before = ConsentRecord.objects.filter(contact=contact).count()
    assert consents_before >= 1
    inbound_before = InboundMessage.objects.filter(contact=contact).count()
    rights_request = rights_request_open(contact=contact, kind="suprimir", detail="Borren mis datos por favor")
    ana.replies()

    client, officer = _compliance_client()
    page = client.get(f"/admin/consent/datarightsrequest/{rights_request.pk}/resolve/").content.decode()
    assert 'name="erase"' in page
    response = client.post(
        f"/admin/consent/datarightsrequest/{rights_request.pk}/resolve/",
        {"answer": "Aceptamos tu solicitud de supresión.", "erase": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    # Nothing of what Ana wrote or sent remains.
    inbound = InboundMessage.objects.filter(contact=contact)
    assert inbound.count() == inbound_before  # rows kept as counts for the metrics
    assert set(inbound.values_list("text", flat=True)) == {ERASED}
    assert all(m.payload == {} and not m.media_filename for m in inbound)
    notice = OutboundMessage.objects.filter(contact=contact).latest("id")
    earlier = OutboundMessage.objects.filter(contact=contact).exclude(pk=notice.pk)
    assert set(earlier.values_list("preview", flat=True)) == {ERASED}
    assert all(m.body == {} for m in earlier)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(file_name)
    ticket = Ticket.objects.get(contact=contact)
    assert ticket.transcript == [] and ticket.details == {} and ticket.summary == ERASED
    assert CsatSurvey.objects.get(contact=contact).comment == ""
    contact.refresh_from_db()
    assert contact.profile_name == ""
    session = ConversationSession.objects.get(contact=contact)
    assert session.data == {} and session.validated_customer_id is None
    everything = " ".join(
        [*inbound.values_list("text", flat=True), *earlier.values_list("preview", flat=True), str(ticket.transcript)]
    )
    assert "1020304050" not in everything and "Ana" not in everything

    # What the law requires us to keep is still there.
    assert ConsentRecord.objects.filter(contact=contact).count() == consents_before
    customer = Customer.objects.get(cedula="1020304050")
    assert Credit.objects.filter(customer=customer, number="LIB-000123").exists()
    rights_request.refresh_from_db()
    assert rights_request.status == DataRightsRequest.Status.RESOLVED
    assert ResolvedRequest.objects.filter(contact=contact).count() == 1  # metrics counts

    # Ana is told what was erased and what is kept, and why.
    answer = texts(ana.replies())
    assert "Aceptamos tu solicitud de supresión." in answer
    assert "Código de Comercio" in answer and "Ley 1581 de 2012" in answer
    assert "Código de Comercio" in rights_request.resolution


def test_declined_suprimir_keeps_the_data(ana_history):
    ana, contact, document = ana_history
    rights_request = rights_request_open(contact=contact, kind="suprimir")
    client, _ = _compliance_client()
    ana.replies()
    response = client.post(
        f"/admin/consent/datarightsrequest/{rights_request.pk}/resolve/",
        {"answer": "No procede: tienes un reclamo abierto que requiere estos soportes."},
    )
    rights_request.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, "/admin/consent/datarightsrequest/")
    assert rights_request.status == DataRightsRequest.Status.RESOLVED
    assert rights_request.resolution == "No procede: tienes un reclamo abierto que requiere estos soportes."
    assert texts(ana.replies()) == (
        f"Respuesta a tu solicitud de datos personales *{rights_request.number}*:\n\n"
        "No procede: tienes un reclamo abierto que requiere estos soportes.\n\n"
        "Si tienes alguna duda sobre esta respuesta, escríbenos por aquí."
    )
    assert Document.objects.filter(pk=document.pk).exists()
    assert InboundMessage.objects.filter(contact=contact).exclude(text=ERASED).exists()


def test_erase_service_alone_is_idempotent(ana_history):
    _, contact, _ = ana_history
    first = contact_personal_data_erase(contact=contact, by=None)
    assert first.documents == 1 and first.inbound >= 2
    second = contact_personal_data_erase(contact=contact, by=None)
    assert second.documents == 0


def _resolve_with_erasure(rights_request):
    client, _ = _compliance_client()
    return client.post(
        f"/admin/consent/datarightsrequest/{rights_request.pk}/resolve/",
        {"answer": "Aceptamos tu solicitud de supresión.", "erase": "on"},
    )


def test_suprimir_for_a_customer_with_a_paz_y_salvo_erases_the_file_and_keeps_the_verification(
    consented_chat, portfolio, private_cache, live_server
):
    phone, cedula, issued = CARLOS
    carlos = consented_chat(phone, "Carlos")
    carlos.says("necesito mi paz y salvo")
    carlos.says(cedula)
    assert any(m["payload"]["type"] == "document" for m in carlos.says(issued))
    certificate = PazYSalvo.objects.get()
    file_name = certificate.document.file.name
    contact = Contact.objects.get(wa_id=phone)
    rights_request = rights_request_open(contact=contact, kind="suprimir", detail="Borren mis datos")

    response = _resolve_with_erasure(rights_request)
    assert response.status_code == 302, response.content.decode()[:2000]

    # The PDF (name and cédula in full) is gone; the record that verifies it stays.
    assert not Document.objects.filter(kind="paz_y_salvo").exists()
    assert not default_storage.exists(file_name)
    kept = PazYSalvo.objects.get(pk=certificate.pk)
    assert kept.document is None
    assert (kept.verification_code, kept.issued_at, kept.credits) == (
        certificate.verification_code,
        certificate.issued_at,
        certificate.credits,
    )
    rights_request.refresh_from_db()
    assert rights_request.status == DataRightsRequest.Status.RESOLVED

    import requests

    page = requests.get(f"{live_server.url}/verificar/{certificate.verification_code}/", timeout=10)
    assert page.status_code == 200 and "Certificado auténtico" in page.text

    # Asked again, the same certificate (same code, same date) is rendered anew.
    carlos.says("necesito mi paz y salvo")
    carlos.says(cedula)
    documents = [m for m in carlos.says(issued) if m["payload"]["type"] == "document"]
    assert len(documents) == 1 and certificate.verification_code in documents[0]["payload"]["document"]["caption"]
    again = PazYSalvo.objects.get()
    assert again.pk == certificate.pk and again.document is not None
    assert default_storage.exists(again.document.file.name)


def test_an_erasure_that_fails_is_a_spanish_error_and_changes_nothing(ana_history):
    _, contact, document = ana_history
    rights_request = rights_request_open(contact=contact, kind="suprimir")

    def broken_receiver(sender, **kwargs):
        raise RuntimeError("the surveys table is unreachable")

    personal_data_erase.connect(broken_receiver, dispatch_uid="test-broken-erasure")
    try:
        response = _resolve_with_erasure(rights_request)
    finally:
        personal_data_erase.disconnect(dispatch_uid="test-broken-erasure")

    assert response.status_code == 200
    page = response.content.decode()
    assert "No se pudo completar la supresión" in page and "No se borró ningún dato" in page
    assert Document.objects.filter(pk=document.pk).exists() and default_storage.exists(document.file.name)
    assert InboundMessage.objects.filter(contact=contact).exclude(text=ERASED).exists()
    rights_request.refresh_from_db()
    assert rights_request.status != DataRightsRequest.Status.RESOLVED


def test_a_failure_after_the_erasure_committed_says_so_not_that_nothing_happened(ana_history):
    _, contact, document = ana_history
    rights_request = rights_request_open(contact=contact, kind="suprimir")

    def fails_after_commit(sender, **kwargs):
        transaction.on_commit(lambda: 1 / 0)

    personal_data_erase.connect(fails_after_commit, dispatch_uid="test-fails-after-commit")
    try:
        client, _ = _compliance_client()
        response = client.post(
            f"/admin/consent/datarightsrequest/{rights_request.pk}/resolve/",
            {"answer": "Aceptamos tu solicitud de supresión.", "erase": "on"},
            follow=True,
        )
    finally:
        personal_data_erase.disconnect(dispatch_uid="test-fails-after-commit")

    assert response.status_code == 200
    assert "quedó resuelta, pero falló un paso posterior" in response.content.decode()
    assert not Document.objects.filter(pk=document.pk).exists()
    rights_request.refresh_from_db()
    assert rights_request.status == DataRightsRequest.Status.RESOLVED
