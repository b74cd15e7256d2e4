"""The circuit breaker per business number and the outbox's holds, against the Cloud API
stand-in: while Meta throttles the number (130429) or refuses the token (190) nothing is
sent and nothing fails; after a cool-down one probe goes, then every held message is
delivered once, in order. The pair rate limit (131056) holds only that customer.

The audit's losses: 130429/131056/190 answers counted as attempts, so replies failed after
five of them and stayed failed after Meta recovered; each alert e-mailed per message."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.core import mail

from conversations.messaging import breaker, whatsapp
from conversations.messaging.outbox import circuit_probe, contact_outbox_flush, mark_read
from conversations.models import Contact, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_cooldowns(settings, standin):
    # Tasks are published, not run: the test runs the probe and the released flushes itself.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Real cool-downs: the test moves the clock past them (no step outlives one by accident).
    settings.WHATSAPP_CIRCUIT_COOLDOWN_SECONDS = 60
    settings.WHATSAPP_CIRCUIT_MAX_COOLDOWN_SECONDS = 600
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


@pytest.fixture
def clock():
    with time_machine.travel(time.time(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def cooldown_over(clock, settings):
    """Moves the clock to the end of the circuit's cool-down (its own deadline, not a guess)."""

    def over() -> None:
        state = breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID)
        if state is not None and time.time() < state["until"]:
            clock.shift(state["until"] - time.time() + 0.01)

    return over


def test_a_throttled_number_holds_every_customer_then_delivers_in_order(standin, settings, cooldown_over):
    ana = _customer("573001110001", "uno", "dos")
    beto = _customer("573001110002", "tres")
    standin.fail({"status": 429, "code": 130429, "times": 1})

    held = contact_outbox_flush(contact_id=ana.pk)
    assert (held.sent, held.held, held.retry_in) == (0, True, None)  # no retry of its own: the probe's
    assert _statuses(ana) == [("queued", 0), ("queued", 0)]  # not an attempt: Meta asked to wait
    calls = standin.calls
    held = contact_outbox_flush(contact_id=beto.pk)
    assert (held.sent, held.held) == (0, True)
    assert standin.calls == calls  # nobody hammers a throttled number
    assert _statuses(beto) == [("queued", 0)]

    cooldown_over()
    assert circuit_probe().sent == 2  # the oldest held customer goes first: closed
    assert breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID) is None
    assert contact_outbox_flush(contact_id=beto.pk).sent == 1  # released by the probe
    assert _delivered(standin, ana) == ["uno", "dos"]
    assert _delivered(standin, beto) == ["tres"]
    assert _statuses(ana) == [("sent", 1), ("sent", 1)]


def test_throttling_longer_than_the_attempts_never_fails_a_message(standin, settings, cooldown_over):
    ana = _customer("573001110003", "uno", "dos")
    standin.fail({"status": 429, "code": 130429, "times": settings.MESSAGE_MAX_ATTEMPTS + 2})
    assert contact_outbox_flush(contact_id=ana.pk).held
    cooldowns = []
    for _ in range(settings.MESSAGE_MAX_ATTEMPTS + 1):
        cooldown_over()
        assert circuit_probe().held  # refused again
        cooldowns.append(breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID)["cooldown"])
    assert _statuses(ana) == [("queued", 0), ("queued", 0)]
    assert cooldowns == [120, 240, 480, 600, 600, 600]  # doubled after each failed probe, capped
    cooldown_over()
    assert circuit_probe().sent == 2
    assert _delivered(standin, ana) == ["uno", "dos"]


def test_a_probe_with_nothing_held_leaves_the_next_send_to_probe(standin, settings, cooldown_over):
    breaker.circuit_trip(settings.WHATSAPP_PHONE_NUMBER_ID, reason=breaker.THROTTLED, code=130429)
    cooldown_over()
    assert circuit_probe().sent == 0 and standin.calls == 0
    ana = _customer("573001110004", "uno")
    assert contact_outbox_flush(contact_id=ana.pk).sent == 1
    assert breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID) is None


def test_a_refused_token_holds_sends_and_alerts_the_operators_once(standin, settings, cooldown_over):
    settings.ADMINS = [("Operaciones", "operaciones@proalto.example")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    customers = [_customer(f"57300111001{i}", f"hola {i}") for i in range(3)]
    standin.access_token = "a-token-meta-no-longer-knows"  # revoked on Meta's side

    for contact in customers:
        assert contact_outbox_flush(contact_id=contact.pk).held
    for _ in range(3):  # three more probes, all refused
        cooldown_over()
        assert circuit_probe().held
    assert breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID)["reason"] == breaker.TOKEN
    assert [m.to for m in mail.outbox] == [["operaciones@proalto.example"]]
    assert "190" in mail.outbox[0].subject
    assert all(_statuses(c) == [("queued", 0)] for c in customers)

    standin.access_token = settings.WHATSAPP_ACCESS_TOKEN  # renewed: the next probe goes through
    cooldown_over()
    assert circuit_probe().sent == 1
    for contact in customers[1:]:
        assert contact_outbox_flush(contact_id=contact.pk).sent == 1
    assert [_delivered(standin, c) for c in customers] == [["hola 0"], ["hola 1"], ["hola 2"]]
    assert len(mail.outbox) == 1


def test_the_pair_rate_limit_holds_only_that_customer(standin, settings):
    ana = _customer("573001110021", "uno", "dos")
    beto = _customer("573001110022", "tres")
    standin.fail({"status": 400, "code": 131056, "times": 1})

    held = contact_outbox_flush(contact_id=ana.pk)
    assert held.sent == 0 and held.retry_in >= settings.WHATSAPP_PAIR_RATE_RETRY_SECONDS  # its own retry
    assert _statuses(ana) == [("queued", 0), ("queued", 0)]
    assert breaker.circuit_state(settings.WHATSAPP_PHONE_NUMBER_ID) is None  # the number is fine
    assert contact_outbox_flush(contact_id=beto.pk).sent == 1
    assert contact_outbox_flush(contact_id=ana.pk).sent == 2
    assert _delivered(standin, ana) == ["uno", "dos"]


def test_a_reply_queued_during_a_hold_goes_out_after_the_held_ones(standin, settings, cooldown_over):
    ana = _customer("573001110031", "uno")
    standin.fail({"status": 429, "code": 130429, "times": 1})
    contact_outbox_flush(contact_id=ana.pk)
    OutboundMessage.objects.create(contact=ana, kind="text", preview="dos", body=whatsapp.text_body("dos"))
    cooldown_over()
    assert circuit_probe().sent == 2
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
