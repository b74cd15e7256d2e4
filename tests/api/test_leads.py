"""Leads out to the CRM: GET /api/v1/leads/?desde=… (paginated, documents behind signed
links) and, with CRM_WEBHOOK_URL, each new lead POSTed there signed, retried with backoff,
its delivery recorded for staff."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.utils import timezone

from conversations.api.models import LeadDelivery
from conversations.messaging.models import Contact
from credits.models import Customer
from credits.services import application_lead_create
from documents.services import document_store_generated
from escalations.services import ticket_open

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CRMStandIn:
    """A CRM's webhook receiver on loopback: records each POST; fails the first `failures`."""

    def __init__(self, failures: int = 0):
        self.received: list[dict] = []
        self.failures = failures
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                state.received.append({"body": body, "signature": self.headers.get("X-ProAlto-Signature-256")})
                status = 503 if len(state.received) <= state.failures else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/proalto"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def crm(settings):
    stand_in = CRMStandIn()
    settings.CRM_WEBHOOK_URL = stand_in.url
    settings.CRM_WEBHOOK_SECRET = "crm-test-secret"
    yield stand_in
    stand_in.close()


def new_credit_lead(number="WA-2026-0A1B2C3D", phone="573205550101"):
    contact = Contact.objects.create(wa_id=phone, profile_name="Marta")
    document = document_store_generated(data=PDF, kind="upload", mime_type="application/pdf", filename="cedula.pdf")
    return application_lead_create(
        number=number,
        contact=contact,
        cedula="52123456",
        full_name="Marta Lucía Rojas",
        details={"city": "Medellín", "pagaduria": "Colpensiones", "best_time": "mañana", "documents": [document.pk]},
        now=timezone.now(),
    )


def renewal_lead():
    customer = Customer.objects.get(cedula="1020304050")
    contact = Contact.objects.create(wa_id=customer.phone, profile_name="Ana")
    ticket, _ = ticket_open(
        contact=contact,
        reason="renewal",
        customer=customer,
        details={"offer": {"credit": "LIB-000123", "new_amount": "$12.000.000"}, "documents": []},
    )
    return ticket


def test_leads_are_listed_with_signed_document_links(api_client, portfolio, settings):
    crm_client = api_client("leads", name="CRM")
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    application = new_credit_lead()
    ticket = renewal_lead()

    response = crm_client.get("/leads/", {"desde": since})

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2 and page["next"] is None
    first, second = page["results"]
    assert first["id"] == f"nuevo_credito:{application.number}" and first["tipo"] == "nuevo_credito"
    assert (first["nombre"], first["cedula"], first["celular"], first["ciudad"], first["etapa"]) == (
        "Marta Lucía Rojas",
        "52123456",
        "573205550101",
        "Medellín",
        "recepcion",
    )
    assert second["id"] == f"renovacion:{ticket.pk}" and second["oferta"]["credit"] == "LIB-000123"
    link = first["documentos"][0]["url"].replace(settings.SITE_URL, crm_client.base.removesuffix("/api/v1"))
    assert requests.get(link, timeout=10).content == PDF
    # Later than both: nothing. Paginated.
    assert crm_client.get("/leads/", {"desde": timezone.now().isoformat()}).json()["count"] == 0
    paged = crm_client.get("/leads/", {"desde": since, "tamano": 1}).json()
    assert len(paged["results"]) == 1 and "pagina=2" in paged["next"]
    missing = crm_client.get("/leads/")
    assert missing.status_code == 400 and missing.json() == {"desde": ["Este campo es requerido."]}


def test_each_new_lead_is_posted_to_the_crm_signed(transactional_db, portfolio, crm):
    application = new_credit_lead()
    ticket = renewal_lead()

    assert len(crm.received) == 2
    for delivery in crm.received:
        expected = "sha256=" + hmac.new(b"crm-test-secret", delivery["body"], hashlib.sha256).hexdigest()
        assert hmac.compare_digest(delivery["signature"], expected)
    posted = [json.loads(d["body"]) for d in crm.received]
    assert [p["id"] for p in posted] == [f"nuevo_credito:{application.number}", f"renovacion:{ticket.pk}"]
    assert posted[0]["documentos"][0]["url"].startswith("http")
    assert set(LeadDelivery.objects.values_list("status", "attempts")) == {("delivered", 1)}


def test_a_failing_crm_is_retried_and_the_delivery_is_visible(transactional_db, portfolio, crm, settings):
    crm.failures = 2
    new_credit_lead()
    delivery = LeadDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, "")
    assert len(crm.received) == 3

    crm.failures = 100
    settings.CRM_WEBHOOK_MAX_ATTEMPTS = 4
    new_credit_lead(number="WA-2026-FFFF0000", phone="573205550102")
    failed = LeadDelivery.objects.get(lead="nuevo_credito:WA-2026-FFFF0000")
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 4, "HTTP 503")


def test_no_crm_url_no_delivery(transactional_db, portfolio, settings):
    settings.CRM_WEBHOOK_URL = ""
    new_credit_lead()
    assert not LeadDelivery.objects.exists()
