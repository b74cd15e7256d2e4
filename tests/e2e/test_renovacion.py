"""Renovación: eligible customers get a pre-approved offer, send their desprendibles in the
chat and reach a commercial advisor with a ticket that carries the offer and the documents;
the others hear which rule they do not meet. Files are checked by content and size."""

import hashlib

import pytest

from conversations.bot.inbox import contact_inbox_answer
from conversations.models import InboundMessage
from documents.models import Document
from escalations.models import Ticket
from tests.e2e.sample_files import exe_bytes, pdf_bytes, png_bytes
from tests.support import texts

GLORIA = ("573007778899", "51876543", "10/02/1978")  # customer 7: eligible (50/84 paid)
HECTOR = ("573158889900", "94321567", "19/08/1986")  # customer 8: 3/72 paid
JORGE = ("573152223344", "16789012", "05/03/1976")  # customer 4: credit in arrears


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def asks_renewal(consented_chat, who):
    phone, cedula, issued = who
    user = consented_chat(phone, "Cliente")
    assert "cédula" in texts(user.says("quiero renovar mi crédito"))
    user.says(cedula)
    return user, texts(user.says(issued))


def at_documents_step(consented_chat):
    gloria, _ = asks_renewal(consented_chat, GLORIA)
    body = texts(gloria.taps("renew_yes"))
    assert "últimos 2 desprendibles de pago" in body
    return gloria


def test_eligible_customer_renews_with_two_desprendibles(consented_chat, portfolio):
    gloria, body = asks_renewal(consented_chat, GLORIA)
    assert "Confirmé tu identidad" in body
    assert "renovación *preaprobada*" in body and "LIB-000150" in body
    assert "Monto del nuevo crédito: *$24.000.000*" in body  # 20.000.000 x 1.2
    assert "Dinero adicional que recibirías: *$15.600.000*" in body  # minus the 8.400.000 balance
    assert "Plazo: 72 meses" in body and "Cuota mensual aproximada: *$597.342*" in body
    # The rate as a borrower compares it: effective annual, and the monthly rate it comes from.
    assert "Tasa: 23,87 % efectiva anual (1,8 % mes vencida)" in body and "*sujeta a estudio*" in body
    assert set(gloria.offered()) == {"renew_yes", "renew_no"}

    gloria.taps("renew_yes")
    assert "Estoy esperando tus desprendibles" in texts(gloria.says("¿cuánto me demoro?"))
    pdf = pdf_bytes()
    body = texts(gloria.sends_file(pdf, mime_type="application/pdf", filename="desprendible octubre.pdf"))
    assert "Recibí tu documento ✅ (1 en total)" in body and "Me falta 1 desprendible más" in body
    assert "Todavía me falta 1 desprendible" in texts(gloria.says("listo"))
    png = png_bytes()
    body = texts(gloria.sends_file(png, mime_type="image/png", as_image=True))
    assert "(2 en total)" in body and "docs_done" in gloria.offered()

    body = texts(gloria.taps("docs_done"))
    assert "Recibí tus documentos" in body and body.count("¡Gracias!") == 1  # one closing message
    ticket = Ticket.objects.get(reason="renewal")
    assert f"caso #{ticket.pk}" in body and "asesor comercial" in body
    assert ticket.customer.cedula == "51876543"
    offer = ticket.details["offer"]
    assert offer["credit"] == "LIB-000150" and offer["additional_amount"] == "$15.600.000"
    documents = Document.objects.filter(pk__in=ticket.details["documents"]).order_by("pk")
    assert [d.mime_type for d in documents] == ["application/pdf", "image/png"]
    assert [d.sha256 for d in documents] == [hashlib.sha256(pdf).hexdigest(), hashlib.sha256(png).hexdigest()]
    assert all(d.ticket_id == ticket.pk and d.customer_id == ticket.customer_id for d in documents)
    assert documents[0].file.read() == pdf


def test_typed_yes_continues_and_typed_no_stops(consented_chat, portfolio):
    gloria, _ = asks_renewal(consented_chat, GLORIA)
    assert "No te entendí" in texts(gloria.says("depende"))
    assert "desprendibles de pago" in texts(gloria.says("si"))

    gloria.says("cancelar")
    assert "preaprobada" in texts(gloria.says("renovación"))  # still validated: straight to the offer
    assert "no continuamos por ahora" in texts(gloria.says("No, gracias"))
    assert not Ticket.objects.filter(reason="renewal").exists()


def test_not_enough_installments_paid(consented_chat, portfolio):
    hector, body = asks_renewal(consented_chat, HECTOR)
    assert "Todavía no es posible renovar tu crédito LIB-000402" in body
    assert "al menos el 50 % de las cuotas" in body and "llevas 3 de 72" in body
    assert "Te faltan 33 cuotas" in body
    assert set(hector.offered()) == {"asesor", "renew_advisor_no"}
    assert "Cuando quieras revisar" in texts(hector.says("no"))
    assert not Ticket.objects.exists()


def test_arrears_is_said_kindly_and_an_advisor_offered(consented_chat, portfolio):
    jorge, body = asks_renewal(consented_chat, JORGE)
    assert "en mora" in body and "preaprobada" not in body
    body = texts(jorge.says("sí"))
    assert Ticket.objects.get().reason == "asked_human"
    assert "asesor" in body


def test_disguised_file_is_refused_and_nothing_stored(consented_chat, portfolio):
    gloria = at_documents_step(consented_chat)
    body = texts(gloria.sends_file(exe_bytes(), mime_type="application/pdf", filename="cedula.pdf"))
    assert "solo acepto documentos PDF o fotos en JPG o PNG" in body
    body = texts(gloria.sends_file(b"hola, soy un texto\n" * 20, mime_type="application/pdf", filename="cedula.pdf"))
    assert "solo acepto documentos PDF o fotos en JPG o PNG" in body
    assert not Document.objects.exists()
    # Still waiting for the desprendibles.
    assert "(1 en total)" in texts(gloria.sends_file(pdf_bytes(), mime_type="application/pdf"))


def test_oversized_file_is_refused(consented_chat, portfolio, settings):
    settings.DOCUMENT_MAX_BYTES = 50_000
    gloria = at_documents_step(consented_chat)
    big = png_bytes((200, 200), noise=True)
    assert len(big) > 50_000
    body = texts(gloria.sends_file(big, mime_type="image/png", as_image=True))
    assert "Ese archivo es muy pesado" in body
    assert not Document.objects.exists()


def test_download_failure_is_retried_then_the_user_is_told(consented_chat, portfolio, standin, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    gloria = at_documents_step(consented_chat)
    standin.failures.append({"on": "download", "status": 500, "times": 100})
    assert gloria.sends_file(pdf_bytes(), mime_type="application/pdf") == []  # the worker will retry
    message = InboundMessage.objects.get(type="document")
    assert (message.status, message.attempts) == ("pending", 1)

    # What the worker does on each retry, until it gives up on the download.
    contact_id = message.contact_id
    for _ in range(settings.MESSAGE_MAX_ATTEMPTS):
        contact_inbox_answer(contact_id=contact_id)
    message.refresh_from_db()
    assert message.status == "processed" and message.attempts == 2
    assert "No logré descargar tu archivo" in texts(gloria.replies())
    assert not Document.objects.exists()

    standin.failures.clear()
    assert "(1 en total)" in texts(gloria.sends_file(pdf_bytes(), mime_type="application/pdf"))
