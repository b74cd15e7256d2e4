"""The circuit breaker per business number and the outbox's holds, against the Cloud API
stand-in: while Meta throttles the number (130429) or refuses the token (190) nothing is
sent and nothing fails; after a cool-down one probe goes, then every held message is
delivered once, in order. The pair rate limit (131056) holds only that customer.

The audit's losses: 130429/131056/190 answers counted as attempts, so replies failed after
five of them and stayed failed after Meta recovered; each alert e-mailed per message."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from conversations.messaging import breaker, whatsapp
from conversations.messaging.outbox import contact_outbox_flush, mark_read
from conversations.models import Contact, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_cooldowns(settings, standin):
    settings.WHATSAPP_CIRCUIT_COOLDOWN_SECONDS = 0.05
    settings.WHATSAPP_CIRCUIT_MAX_COOLDOWN_SECONDS = 0.2
    settings.MESSAGE_MAX_ATTEMPTS = 5
    token = standin.access_token
    yield
    standin.access_token = token


def _customer(phone: str, *texts: str) -> Contact:
    contact = Contact.objects.create(wa_id=phone, profile_name="Cliente")
    for text in texts:
        OutboundMessage.objects.create(contact=contact, kind="text", preview=text, body=whatsapp.text_body(text))
    return contact


def _delivered(standin, contact: Contact) -> list[str]:
    return [m["payload"]["text"]["body"] for m in standin.sent_to(contact.wa_id)]


def _statuses(contact: Contact) -> list[tuple[str, int]]:
    return list(OutboundMessage.objects.filter(contact=contact).order_by("pk").values_list("status", "attempts"))


def _wait_for_the_probe(settings) -> None:
    """Until the cool-down is over (the circuit's own deadline, not a guess)."""
    state = breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID)
    while state is not None and time.time() < state["until"]:
        time.sleep(0.01)


def test_a_throttled_number_holds_every_customer_then_delivers_in_order(standin, settings):
    ana = _customer("573001110001", "uno", "dos")
    beto = _customer("573001110002", "tres")
    standin.fail({"status": 429, "code": 130429, "times": 1})

    held = contact_outbox_flush(contact_id=ana.pk)
    assert held.sent == 0 and 0 < held.retry_in <= 0.05 + 0.5
    assert _statuses(ana) == [("queued", 0), ("queued", 0)]  # not an attempt: Meta asked to wait
    calls = standin.calls
    held = contact_outbox_flush(contact_id=beto.pk)
    assert held.sent == 0 and held.retry_in > 0
    assert standin.calls == calls  # nobody hammers a throttled number
    assert _statuses(beto) == [("queued", 0)]

    _wait_for_the_probe(settings)
    assert contact_outbox_flush(contact_id=beto.pk).sent == 1  # the probe goes through: closed
    assert breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID) is None
    assert contact_outbox_flush(contact_id=ana.pk).sent == 2
    assert _delivered(standin, ana) == ["uno", "dos"]
    assert _delivered(standin, beto) == ["tres"]
    assert _statuses(ana) == [("sent", 1), ("sent", 1)]


def test_throttling_longer_than_the_attempts_never_fails_a_message(standin, settings):
    ana = _customer("573001110003", "uno", "dos")
    standin.fail({"status": 429, "code": 130429, "times": 3 * settings.MESSAGE_MAX_ATTEMPTS})
    cooldowns = []
    for _ in range(3 * settings.MESSAGE_MAX_ATTEMPTS):
        assert contact_outbox_flush(contact_id=ana.pk).sent == 0
        cooldowns.append(breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID)["cooldown"])
        _wait_for_the_probe(settings)
    assert _statuses(ana) == [("queued", 0), ("queued", 0)]
    assert cooldowns[:4] == [0.05, 0.1, 0.2, 0.2]  # doubled after each failed probe, capped
    assert contact_outbox_flush(contact_id=ana.pk).sent == 2
    assert _delivered(standin, ana) == ["uno", "dos"]


def test_a_refused_token_holds_sends_and_alerts_the_operators_once(standin, settings):
    settings.ADMINS = [("Operaciones", "operaciones@proalto.example")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    customers = [_customer(f"57300111001{i}", f"hola {i}") for i in range(3)]
    standin.access_token = "a-token-meta-no-longer-knows"  # revoked on Meta's side

    for _ in range(3):  # three rounds of probes, all refused
        for contact in customers:
            assert contact_outbox_flush(contact_id=contact.pk).sent == 0
        _wait_for_the_probe(settings)
    assert breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID)["reason"] == breaker.TOKEN
    assert [m.to for m in mail.outbox] == [["operaciones@proalto.example"]]
    assert "190" in mail.outbox[0].subject
    assert all(_statuses(c) == [("queued", 0)] for c in customers)

    standin.access_token = settings.WHATSAPP_ACCESS_TOKEN  # renewed: the next probe goes through
    for contact in customers:
        assert contact_outbox_flush(contact_id=contact.pk).sent == 1
    assert [_delivered(standin, c) for c in customers] == [["hola 0"], ["hola 1"], ["hola 2"]]
    assert len(mail.outbox) == 1


def test_the_pair_rate_limit_holds_only_that_customer(standin, settings):
    ana = _customer("573001110021", "uno", "dos")
    beto = _customer("573001110022", "tres")
    standin.fail({"status": 400, "code": 131056, "times": 1})

    held = contact_outbox_flush(contact_id=ana.pk)
    assert held.sent == 0 and held.retry_in >= settings.WHATSAPP_PAIR_RATE_RETRY_SECONDS
    assert _statuses(ana) == [("queued", 0), ("queued", 0)]
    assert breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID) is None  # the number is fine
    assert contact_outbox_flush(contact_id=beto.pk).sent == 1
    assert contact_outbox_flush(contact_id=ana.pk).sent == 2
    assert _delivered(standin, ana) == ["uno", "dos"]


def test_a_reply_queued_during_a_hold_goes_out_after_the_held_ones(standin, settings):
    ana = _customer("573001110031", "uno")
    standin.fail({"status": 429, "code": 130429, "times": 1})
    contact_outbox_flush(contact_id=ana.pk)
    OutboundMessage.objects.create(contact=ana, kind="text", preview="dos", body=whatsapp.text_body("dos"))
    _wait_for_the_probe(settings)
    assert contact_outbox_flush(contact_id=ana.pk).sent == 2
    assert _delivered(standin, ana) == ["uno", "dos"]


def test_a_server_error_still_counts_an_attempt_and_fails_in_the_end(standin, settings):
    """Unlike a hold, a 5xx may be this message's fault: it fails after its attempts, visible
    to staff, and never blocks the customer's later replies."""
    ana = _customer("573001110041", "uno", "dos")
    standin.fail({"status": 500, "code": 1, "times": settings.MESSAGE_MAX_ATTEMPTS})
    for _ in range(settings.MESSAGE_MAX_ATTEMPTS):
        contact_outbox_flush(contact_id=ana.pk)
    assert [status for status, _ in _statuses(ana)] == ["failed", "sent"]
    assert _delivered(standin, ana) == ["dos"]
    assert breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID) is None


def test_read_receipts_wait_while_the_circuit_is_open(standin, settings):
    breaker.circuit_trip(settings.WHATSAPP_PHONE_NUMBER_ID, reason=breaker.THROTTLED, code=130429)
    mark_read("wamid.HBgLNTczMDAxMjM0NTY3FQIAEhggQ0E", typing=True, of="a test")
    assert standin.requests == 0
    breaker.circuit_close(settings.WHATSAPP_PHONE_NUMBER_ID)
    mark_read("wamid.HBgLNTczMDAxMjM0NTY3FQIAEhggQ0E", typing=True, of="a test")
    assert standin.requests == 1
