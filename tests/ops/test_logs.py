"""Logs an operator can follow: one JSON object per line, and one correlation id (the
customer message's WhatsApp id) on every line of its path, from the webhook through the
worker to the Cloud API call; Sentry events scrubbed of personal data."""

from __future__ import annotations

import json
import logging
import logging.config
import secrets

import pytest

from proalto.celery import app as celery_app
from proalto.logs import CorrelationFilter, JsonNamesFilter, correlated, logging_config, scrub_text, sentry_before_send
from tests.support import message_payload

PHONE = "573001234567"


def _json_formatter():
    config = logging_config(json_lines=True, level="INFO")
    return logging.config.DictConfigurator(config).configure_formatter(config["formatters"]["main"])


def test_a_json_line_per_record_with_the_correlation_id():
    record = logging.LogRecord("conversations.bot.inbox", logging.WARNING, __file__, 1, "answered %s", ("x",), None)
    with correlated("wamid.ABC"):
        CorrelationFilter().filter(record)
    JsonNamesFilter().filter(record)
    line = _json_formatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "answered x"
    assert data["level"] == "WARNING"
    assert data["logger"] == "conversations.bot.inbox"
    assert data["correlation_id"] == "wamid.ABC"
    assert data["time"].endswith("+00:00")


def test_an_exception_stays_on_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), __import__("sys").exc_info())
    CorrelationFilter().filter(record)
    JsonNamesFilter().filter(record)
    line = _json_formatter().format(record)
    assert "\n" not in line and "ValueError: boom" in json.loads(line)["exc_info"]


def test_requests_get_a_request_id(client):
    response = client.get("/verificar/x/", HTTP_X_REQUEST_ID="lb-1234")
    assert response["X-Request-ID"] == "lb-1234"
    assert len(client.get("/verificar/x/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]) == 16


class Captured(logging.Handler):
    """Every record any thread logs, with the correlation id its handler would write."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.addFilter(CorrelationFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    def clear(self):
        self.records = []


@pytest.fixture
def captured():
    # Celery's Django fix-up runs django.setup() (which re-applies LOGGING, dropping any handler
    # added since) when the task modules are first imported: have that happen first.
    celery_app.loader.import_default_modules()
    handler = Captured()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def path_of(records, wamid: str) -> list[logging.LogRecord]:
    return [record for record in records if record.correlation_id == wamid]


@pytest.mark.django_db(transaction=True)
def test_one_turn_is_found_by_its_message_id(consented_chat, meta, captured):
    user = consented_chat(PHONE)
    wamid = f"wamid.turn.{secrets.token_hex(6)}"
    captured.clear()
    assert meta.post(message_payload("text", wa_id=PHONE, text={"body": "saldo"}, wa_message_id=wamid)).ok
    user.replies()

    path = path_of(captured.records, wamid)
    messages = [(record.name, record.getMessage()) for record in path]
    assert ("conversations.messaging.views", "webhook: 1 message(s) (text), 0 status(es)") in messages
    cloud_calls = [text for name, text in messages if name == "conversations.messaging.whatsapp"]
    assert any(text.startswith("cloud api POST /") and ": 200 in " in text for text in cloud_calls)
    assert any(text.startswith("cloud api accepted") for text in cloud_calls)
    assert all(PHONE not in text for _, text in messages)


def test_sentry_events_leave_without_personal_data():
    event = {
        "message": "customer 573001234567 cédula 1032456789 wrote from CO.13491208655302741918",
        "request": {"method": "POST", "url": "https://bot.example.com/admin/?q=1032456789", "data": {"a": 1}},
        "user": {"email": "ana@example.com"},
        "exception": {
            "values": [
                {
                    "value": "no customer for ana@example.com 3001234567",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"phone": "573001234567"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "sent to 573001234567"}]},
    }
    scrubbed = json.dumps(sentry_before_send(event, None))
    for personal in ("573001234567", "1032456789", "13491208655302741918", "ana@example.com", "3001234567"):
        assert personal not in scrubbed
    assert "vars" not in scrubbed and "user" not in json.loads(scrubbed)
    assert json.loads(scrubbed)["request"] == {"method": "POST", "url": "https://bot.example.com/admin/"}
    assert scrub_text("code 123456") == "code •••456"
