"""Nuevo crédito: a prospect reads the requirements, sends documents, leaves validated contact
data one question at a time, confirms (or corrects) a summary, and a commercial advisor gets
a "new_application" ticket with the data and the documents."""

import io

from PIL import Image

from conversations.models import ConversationSession, OutboundMessage
from credits.models import Application, ApplicationSubscription
from credits.services import application_stage_set
from documents.models import Document
from escalations.models import Ticket
from tests.e2e.sample_files import exe_bytes, pdf_bytes
from tests.support import texts

PROSPECT = "573209876501"  # not a customer


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (120, 90, 60)).save(out, format="JPEG")
    return out.getvalue()


def starts(consented_chat):
    marta = consented_chat(PROSPECT, "Marta")
    body = texts(marta.says("quiero solicitar un crédito nuevo"))
    assert "Fotocopia de tu cédula" in body and "Certificación de ingresos" in body and "desprendibles" in body
    assert set(marta.offered()) == {"docs_later"}
    return marta


def test_whole_application_with_documents_and_a_correction(consented_chat):
    marta = starts(consented_chat)
    assert "Aún no he recibido documentos" in texts(marta.says("listo"))
    assert "solo acepto documentos PDF" in texts(
        marta.sends_file(exe_bytes(), mime_type="application/pdf", filename="cedula.pdf")
    )
    assert "(1 en total)" in texts(
        marta.sends_file(pdf_bytes("Cedula"), mime_type="application/pdf", filename="cedula.pdf")
    )
    assert "(2 en total)" in texts(marta.sends_file(jpeg_bytes(), mime_type="image/jpeg", as_image=True))
    assert "nombre completo" in texts(marta.taps("docs_done"))

    assert "nombre y apellido" in texts(marta.says("marta"))  # one word: re-asked
    assert "cédula" in texts(marta.says("marta lucía  pérez gómez"))
    assert "no parece una cédula" in texts(marta.says("52-12a"))
    assert "ciudad" in texts(marta.says("52.123.456"))
    assert "pagaduría" in texts(marta.says("Medellín"))
    assert "cómo prefieres que te contacte" in texts(marta.says("Secretaría de Educación de Antioquia"))
    body = texts(marta.says("en la tarde"))  # typed instead of tapped
    assert "• Nombre: Marta Lucía Pérez Gómez" in body
    assert "• Cédula: 52123456" in body and "• Ciudad: Medellín" in body
    assert "• Contacto: llamada en la tarde" in body and "• Documentos enviados: 2" in body
    assert set(marta.offered()) == {"confirm_yes", "confirm_fix"}

    assert "¿Qué dato quieres corregir?" in texts(marta.says("corregir"))
    assert "ciudad" in texts(marta.taps("fix_city"))
    body = texts(marta.says("Envigado"))
    assert "• Ciudad: Envigado" in body and "confirm_yes" in marta.offered()  # straight back to the summary

    body = texts(marta.taps("confirm_yes"))
    # One closing message, saying what will be used: a call in the afternoon.
    assert body.count("¡Gracias!") == 1 and "te llamará al número de este WhatsApp en la tarde" in body
    assert "te escribiremos por este chat" not in body
    ticket = Ticket.objects.get()
    assert ticket.reason == "new_application" and ticket.customer is None
    details = ticket.details
    assert {k: details[k] for k in ("full_name", "cedula", "city", "pagaduria", "best_time")} == {
        "full_name": "Marta Lucía Pérez Gómez",
        "cedula": "52123456",
        "city": "Envigado",
        "pagaduria": "Secretaría de Educación de Antioquia",
        "best_time": "tarde",
    }
    documents = Document.objects.order_by("pk")
    assert [d.pk for d in documents] == details["documents"]
    assert [d.mime_type for d in documents] == ["application/pdf", "image/jpeg"]
    assert all(d.ticket_id == ticket.pk for d in documents)
    # The personal data stays in the ticket, not in the conversation state.
    session = ConversationSession.objects.get(contact__wa_id=PROSPECT)
    assert session.data == {} and session.flow == ""

    # An application in recepción, the documents attached, the ticket linking to it.
    application = Application.objects.get(origin="whatsapp")
    assert application.number in body and details["application"] == application.number
    assert application.stage == "recepcion" and application.contact.wa_id == PROSPECT
    assert application.customer is None and application.details["cedula"] == "52123456"  # not a customer
    assert application.details["documents"] == details["documents"] and application.details["city"] == "Envigado"

    # The prospect follows it from this chat (no identity to validate) and subscribes.
    body = texts(marta.says("estado de mi solicitud"))
    assert application.number in body and "etapa de *recepción*" in body
    assert "cédula" not in body and "notify_yes" in marta.offered()
    assert "Te avisaré por este chat" in texts(marta.taps("notify_yes"))
    subscription = ApplicationSubscription.objects.get()
    assert subscription.application == application and subscription.contact.wa_id == PROSPECT

    # Staff moving it to estudio queues the notice to the prospect (sent within Ley 2300 hours).
    application_stage_set(application=application, stage="estudio")
    notice = OutboundMessage.objects.filter(contact__wa_id=PROSPECT, not_before__isnull=False).get()
    assert application.number in notice.preview and "estudio" in notice.preview


def test_documents_later_and_numbers_typed_for_buttons(consented_chat):
    marta = starts(consented_chat)
    assert "nombre completo" in texts(marta.says("los envío después"))
    marta.says("José de la Cruz")
    marta.says("1098123456")
    marta.says("Bogotá D.C.")
    marta.says("Colpensiones")
    assert "No te entendí" in texts(marta.says("cuando sea de día"))
    body = texts(marta.says("3"))
    assert "llamada a cualquier hora" in body and "Documentos enviados: 0" in body
    assert "te llamará al número de este WhatsApp" in texts(marta.says("sí"))
    details = Ticket.objects.get().details
    assert details["full_name"] == "José de la Cruz"  # kept as written
    assert details["best_time"] == "cualquier_hora" and details["documents"] == []
    assert details["city"] == "Bogotá D.C."
