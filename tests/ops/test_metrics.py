"""/metrics as Prometheus scrapes it: behind its bearer token, counting what the webhook and
the Cloud API client did, gauges read from the database, nothing personal in it, and the
counters of several processes added up (gunicorn and Celery prefork)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from consent.models import DataRightsRequest
from conversations.bot.gauges import database_gauges
from conversations.messaging import whatsapp
from conversations.messaging.models import Contact, InboundMessage
from escalations.models import Ticket
from tests.support import message_payload

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-token-for-tests"


@pytest.fixture(autouse=True)
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_GAUGES_CACHE_SECONDS = 0
    database_gauges.forget()
    whatsapp._token_recorded.update(valid=None, at=0.0)  # each test's cache starts empty


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_want_the_bearer_token(client):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    assert client.get("/metrics").headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_without_a_token_metrics_are_open_for_a_network_rule(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_conversation_turn_is_counted(client, consented_chat, meta, standin):
    user = consented_chat("573001234567")
    before = scrape(client)
    user.says("saldo")
    assert meta.post(message_payload("text", wa_id="573001234567"), signature="sha256=00").status_code == 403
    after = scrape(client)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("proalto_webhook_requests_total", outcome="ok") == 1
    assert grew("proalto_webhook_requests_total", outcome="bad_signature") == 1
    assert grew("proalto_webhook_request_seconds_count") == 2
    assert grew("proalto_messages_received_total", type="text") == 1
    assert grew("proalto_whatsapp_sends_total", outcome="sent", error_code="") >= 1
    assert grew("proalto_first_reply_seconds_count") == 1
    assert value(after, "proalto_whatsapp_token_valid") == 1


@pytest.mark.django_db(transaction=True)
def test_sends_are_counted_by_outcome_and_meta_error_code(client, standin):
    before = scrape(client)
    standin.failures.append({"status": 400, "code": 131047, "times": 1, "on": "messages"})
    with pytest.raises(whatsapp.WindowClosedError):
        whatsapp.get_client().send({"to": "573001234567"}, whatsapp.text_body("hola"))
    standin.failures.append({"status": 401, "code": 190, "times": 1, "on": "messages"})
    with pytest.raises(whatsapp.TokenExpiredError):
        whatsapp.get_client().send({"to": "573001234567"}, whatsapp.text_body("hola"))
    after = scrape(client)
    for outcome, code in (("window_closed", "131047"), ("token_expired", "190")):
        grew = value(after, "proalto_whatsapp_sends_total", outcome=outcome, error_code=code) - value(
            before, "proalto_whatsapp_sends_total", outcome=outcome, error_code=code
        )
        assert grew == 1, (outcome, code)
    assert value(after, "proalto_whatsapp_token_valid") == 0


@pytest.mark.django_db(transaction=True)
def test_gauges_read_the_queues_tickets_and_deadlines(client):
    now = timezone.now()
    contact = Contact.objects.create(wa_id="573001234567")
    InboundMessage.objects.create(
        wa_message_id="wamid.gauge.1",
        contact=contact,
        type="text",
        sent_at=now,
        received_at=now - timedelta(seconds=90),
    )
    Ticket.objects.create(contact=contact, reason="fraud", priority=Ticket.Priority.URGENT, created_at=now)
    today = timezone.localdate(now)
    for due in (today - timedelta(days=1), today + timedelta(days=2), today + timedelta(days=30)):
        DataRightsRequest.objects.create(
            contact=contact, kind="conocer", category="consulta", due_date=due, original_due_date=due
        )

    samples = scrape(client)
    assert value(samples, "proalto_inbound_pending") == 1
    assert 90 <= value(samples, "proalto_inbound_oldest_pending_seconds") < 120
    assert value(samples, "proalto_outbound_queued") == 0
    assert value(samples, "proalto_tickets_waiting", priority="urgent") == 1
    assert value(samples, "proalto_tickets_waiting", priority="normal") == 0
    assert value(samples, "proalto_ticket_oldest_waiting_seconds", priority="urgent") >= 0
    assert value(samples, "proalto_data_rights_overdue") == 1
    assert value(samples, "proalto_data_rights_due_soon") == 1
    assert ("proalto_celery_queue_length", ()) in samples


@pytest.mark.django_db
def test_the_circuit_breaker_state_is_a_gauge_per_business_number(client, settings):
    from conversations.messaging import breaker

    number = settings.WHATSAPP_PHONE_NUMBER_ID
    assert value(scrape(client), "proalto_whatsapp_circuit_open", phone_number_id=number) == 0
    assert ("proalto_whatsapp_circuit_open", (("phone_number_id", number),)) in scrape(client)
    breaker.circuit_trip(number, reason=breaker.THROTTLED, code=130429)
    database_gauges.forget()
    assert value(scrape(client), "proalto_whatsapp_circuit_open", phone_number_id=number) == 1
    breaker.circuit_close(number)
    database_gauges.forget()
    assert value(scrape(client), "proalto_whatsapp_circuit_open", phone_number_id=number) == 0


@pytest.mark.django_db(transaction=True)
def test_no_personal_data_in_the_metrics(client, consented_chat):
    user = consented_chat("573001234567", name="Ana Lucía")
    user.says("saldo")
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    for personal in ("573001234567", "1234567", "Ana", "wamid"):
        assert personal not in text


def test_counters_of_several_processes_are_added_up(tmp_path):
    """Two processes count into PROMETHEUS_MULTIPROC_DIR (as gunicorn workers and Celery pool
    processes do); a third, the one answering /metrics, exposes the sum."""
    count = textwrap.dedent(
        """
        import django; django.setup()
        from proalto.metrics import MESSAGES_RECEIVED, WHATSAPP_SENDS
        MESSAGES_RECEIVED.labels("text").inc(3)
        WHATSAPP_SENDS.labels(outcome="sent", error_code="").inc()
        """
    )
    expose = textwrap.dedent(
        """
        import django; django.setup()
        from proalto.metrics import exposition
        print(exposition().decode())
        """
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "proalto.settings"}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], cwd=ROOT, env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", expose], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(out.stdout)
        for sample in family.samples
    }
    assert value(samples, "proalto_messages_received_total", type="text") == 6
    assert value(samples, "proalto_whatsapp_sends_total", outcome="sent", error_code="") == 2
