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
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from conversations.api.leads import SWEEP_TASK, lead_deliveries_sweep
from conversations.api.models import LeadDelivery
from conversations.api.tasks import lead_deliver_task
from conversations.messaging.models import Contact
from credits.models import Customer
from credits.services import application_lead_create
from documents.services import document_store_generated
from escalations.services import ticket_open
from proalto.celery import enqueue
from tests.e2e.test_error_paths import broker_unreachable

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


# --- Deliveries whose task was never queued or got lost: beat's sweep ----------------------------


def two_minutes_pass() -> None:
    """Time moves on: every due time two minutes earlier (the sweep waits CRM_WEBHOOK_SWEEP_SECONDS)."""
    LeadDelivery.objects.update(
        next_attempt_at=F("next_attempt_at") - timedelta(minutes=2), created_at=F("created_at") - timedelta(minutes=2)
    )


def test_a_lead_whose_enqueue_failed_is_delivered_later_by_the_sweep(transactional_db, portfolio, crm, settings):
    assert settings.CELERY_BEAT_SCHEDULE["api.lead_deliveries_sweep"] == {
        "task": SWEEP_TASK,
        "schedule": settings.CRM_WEBHOOK_SWEEP_SECONDS,
    }
    with broker_unreachable(settings):
        application = new_credit_lead()
    delivery = LeadDelivery.objects.get()
    assert (delivery.status, delivery.attempts, crm.received) == ("pending", 0, [])  # it waited forever before
    assert delivery.next_attempt_at is not None
    assert lead_deliveries_sweep() == 0  # not overdue yet: its task may still be on its way

    two_minutes_pass()
    enqueue(SWEEP_TASK)  # what beat runs (tasks are eager here: the re-queued delivery runs at once)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("delivered", 1, None)
    assert [json.loads(d["body"])["id"] for d in crm.received] == [f"nuevo_credito:{application.number}"]
    # The task that was lost turns up after all: the attempt it names was made, it does nothing.
    assert lead_deliver_task(delivery.pk, 1) == "delivered"
    two_minutes_pass()
    assert lead_deliveries_sweep() == 0
    assert len(crm.received) == 1


def test_the_sweep_makes_each_attempt_once_and_stops_at_the_maximum(transactional_db, portfolio, crm, settings):
    crm.failures = 100
    settings.CRM_WEBHOOK_MAX_ATTEMPTS = 3
    with broker_unreachable(settings):
        new_credit_lead()
        two_minutes_pass()
        assert lead_deliveries_sweep() == 1  # claimed, but the broker is still down: nothing sent
    delivery = LeadDelivery.objects.get()
    assert (delivery.attempts, len(crm.received)) == (0, 0)
    assert lead_deliveries_sweep() == 0  # claimed a moment ago: not overdue again yet

    two_minutes_pass()
    assert lead_deliveries_sweep() == 1  # the broker is back: attempts 1, 2, 3 with backoff, then failed
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error, len(crm.received)) == ("failed", 3, "HTTP 503", 3)
    assert delivery.next_attempt_at is None
    two_minutes_pass()
    assert lead_deliveries_sweep() == 0 and len(crm.received) == 3

    # A pending delivery that already made its attempts (the maximum was lowered) is given up, not sent.
    LeadDelivery.objects.filter(pk=delivery.pk).update(status="pending", next_attempt_at=timezone.now())
    two_minutes_pass()
    assert lead_deliveries_sweep() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(crm.received)) == ("failed", 3, 3)


def test_a_delivery_waiting_its_backoff_is_left_to_its_own_task(transactional_db, portfolio, crm, settings):
    with broker_unreachable(settings):
        new_credit_lead()
    waiting = timezone.now() + timedelta(seconds=30)
    LeadDelivery.objects.update(attempts=2, last_error="HTTP 503", next_attempt_at=waiting)  # its retry is queued
    delivery = LeadDelivery.objects.get()
    assert lead_deliveries_sweep() == 0
    assert lead_deliver_task(delivery.pk, 2) == "pending"  # a duplicate of an attempt already made
    assert crm.received == []
    assert lead_deliver_task(delivery.pk, 3) == "delivered"  # its own retry, when due
    assert len(crm.received) == 1


@pytest.mark.services
def test_the_sweep_skips_a_delivery_in_flight(transactional_db, portfolio, crm, settings):
    """A worker posting a lead holds its row locked; the sweep skips it rather than queue it again."""
    with broker_unreachable(settings):
        new_credit_lead()
    two_minutes_pass()
    delivery = LeadDelivery.objects.get()
    locked, release = threading.Event(), threading.Event()

    def worker_in_flight():
        with transaction.atomic():
            LeadDelivery.objects.select_for_update().get(pk=delivery.pk)
            locked.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=worker_in_flight)
    worker.start()
    try:
        assert locked.wait(10)
        assert lead_deliveries_sweep() == 0
    finally:
        release.set()
        worker.join()
    assert crm.received == []
    assert lead_deliveries_sweep() == 1 and len(crm.received) == 1
