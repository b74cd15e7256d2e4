"""Paz y salvo: a customer with every credit cancelled gets the certificate as a PDF in the
chat, verifiable online by its code; otherwise the bot says what is pending."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from credits.models import PortfolioLoad
from documents.models import Document, PazYSalvo
from escalations.models import Ticket
from proalto.colombia import format_date_long, format_time
from tests.portfolio import demo_line, portfolio_write
from tests.support import texts

CARLOS = ("573009876543", "79456123", "20/09/1973")  # everything paid (LIB-000087, FOPEP)


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def ask_paz_y_salvo(user, cedula=None, issued=None) -> list[dict]:
    replies = user.says("necesito mi paz y salvo")
    if cedula:
        user.says(cedula)
        replies = user.says(issued)
    return replies


def pdf_text(standin, message: dict) -> str:
    media_id = message["payload"]["document"]["id"]
    data = standin.media[media_id]["data"]
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_paid_customer_gets_the_certificate(consented_chat, portfolio, standin, live_server):
    phone, cedula, issued = CARLOS
    carlos = consented_chat(phone, "Carlos")
    replies = ask_paz_y_salvo(carlos, cedula, issued)
    documents = [m for m in replies if m["payload"]["type"] == "document"]
    assert len(documents) == 1
    caption = documents[0]["payload"]["document"]["caption"]
    certificate = PazYSalvo.objects.get()
    assert certificate.verification_code in caption and f"/verificar/{certificate.verification_code}/" in caption
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", certificate.verification_code)
    assert documents[0]["payload"]["document"]["filename"].endswith(".pdf")

    text = pdf_text(standin, documents[0])
    assert "PAZ Y SALVO" in text
    assert "Carlos Alberto Martínez Ospina" in text
    assert "79.456.123" in text
    assert certificate.verification_code in text
    assert "LIB-000087" in text and "FOPEP" in text

    document = certificate.document
    assert document.kind == Document.Kind.PAZ_Y_SALVO and document.customer.cedula == cedula
    assert [c["number"] for c in certificate.credits] == ["LIB-000087"]

    # The verification page confirms it, with the holder partly masked.
    import requests

    page = requests.get(f"{live_server.url}/verificar/{certificate.verification_code.lower()}/", timeout=10)
    assert page.status_code == 200
    assert "Certificado auténtico" in page.text and "Carlos A. M. O." in page.text
    assert "79456123" not in page.text and "•••••123" in page.text
    assert "Martínez" not in page.text


def test_asking_twice_gives_the_same_certificate(consented_chat, portfolio, standin):
    phone, cedula, issued = CARLOS
    carlos = consented_chat(phone, "Carlos")
    first = [m for m in ask_paz_y_salvo(carlos, cedula, issued) if m["payload"]["type"] == "document"]
    second = [m for m in ask_paz_y_salvo(carlos) if m["payload"]["type"] == "document"]  # still validated
    assert len(first) == len(second) == 1
    assert PazYSalvo.objects.count() == 1 and Document.objects.filter(kind="paz_y_salvo").count() == 1
    assert first[0]["payload"]["document"]["caption"] == second[0]["payload"]["document"]["caption"]


def test_a_new_cancelled_credit_gives_a_new_certificate(consented_chat, portfolio, standin):
    phone, cedula, issued = CARLOS
    carlos = consented_chat(phone, "Carlos")
    ask_paz_y_salvo(carlos, cedula, issued)
    line = demo_line(cedula)
    line["credits"].append(
        {
            "number": "LIB-000999",
            "pagaduria": "FOPEP",
            "disbursed_amount": "5000000.00",
            "balance": "0.00",
            "installments_total": 24,
            "installments_paid": 24,
            "installment_amount": "250000.00",
            "status": "paid",
        }
    )
    portfolio_write(line)
    replies = ask_paz_y_salvo(carlos)
    assert PazYSalvo.objects.count() == 2
    newest = PazYSalvo.objects.latest("id")
    assert newest.verification_code in texts(replies)
    assert "LIB-000999" in pdf_text(standin, [m for m in replies if m["payload"]["type"] == "document"][0])


def test_pending_balance_says_what_is_pending_and_offers_the_detail(consented_chat, portfolio):
    ana = consented_chat("573001234567")
    body = texts(ask_paz_y_salvo(ana, "1020304050", "10/05/1979"))
    assert "Todavía no puedo expedir tu paz y salvo" in body
    assert "LIB-000123" in body and "$8.250.000" in body
    assert set(ana.offered()) == {"saldo_detalle", "no_gracias"}
    assert not PazYSalvo.objects.exists()

    body = texts(ana.says("ver detalle"))
    assert "Cuotas pagadas: 27 de 60" in body and "¿Hay algo más" in body


def test_pending_balance_no_thanks(consented_chat, portfolio):
    ana = consented_chat("573001234567")
    ask_paz_y_salvo(ana, "1020304050", "10/05/1979")
    assert "No te entendí" in texts(ana.says("mañana"))
    body = texts(ana.taps("no_gracias"))
    assert "¿Hay algo más" in body and "Cuotas pagadas" not in body


def test_arrears_is_pending(consented_chat, portfolio):
    jorge = consented_chat("573152223344", "Jorge")
    body = texts(ask_paz_y_salvo(jorge, "16789012", "05/03/1976"))
    assert "LIB-000310" in body and "saldo pendiente" in body


def test_no_credits_at_all(consented_chat, portfolio):
    andres = consented_chat("573116667788", "Andrés")
    body = texts(ask_paz_y_salvo(andres, "1098765432", "20/10/2008"))
    assert "No encontramos créditos a tu nombre" in body
    assert not PazYSalvo.objects.exists()


def test_a_local_copy_older_than_the_limit_gives_no_certificate_but_a_ticket(consented_chat, portfolio, settings):
    settings.PORTFOLIO_SOURCE = "local"
    settings.PAZ_Y_SALVO_MAX_AGE_HOURS = 24
    taken = timezone.now() - timedelta(hours=25)
    PortfolioLoad.objects.update(data_as_of=taken)
    phone, cedula, issued = CARLOS
    carlos = consented_chat(phone, "Carlos")

    replies = ask_paz_y_salvo(carlos, cedula, issued)

    body = texts(replies)
    assert "Un asesor lo verificará" in body
    assert f"información con corte al {format_date_long(taken)}, {format_time(taken)}" in body
    assert not [m for m in replies if m["payload"]["type"] == "document"] and not PazYSalvo.objects.exists()
    ticket = Ticket.objects.get()
    assert ticket.reason == "paz_y_salvo_check" and ticket.customer.cedula == cedula


def test_a_local_copy_within_the_limit_still_gives_the_certificate(consented_chat, portfolio, settings):
    settings.PORTFOLIO_SOURCE = "local"
    PortfolioLoad.objects.update(data_as_of=timezone.now() - timedelta(hours=23))
    phone, cedula, issued = CARLOS
    replies = ask_paz_y_salvo(consented_chat(phone, "Carlos"), cedula, issued)
    assert [m for m in replies if m["payload"]["type"] == "document"] and PazYSalvo.objects.count() == 1
