"""What the customer and staff get when something fails that is not their fault: a message
that keeps failing, a mail server that is down, a broker that cannot be reached, an advisor's
file that is too big. Through the real webhook and the Cloud API stand-in."""

from __future__ import annotations

import contextlib
import logging
import socket

from conversations.bot.inbox import contact_inbox_answer
from conversations.messaging.sweep import pending_sweep
from conversations.models import ConversationSession, InboundMessage
from escalations.models import Ticket
from tests.support import texts

APOLOGY = (
    "Lo siento, tuvimos un problema para atender tu último mensaje. Ya quedó registrado para que lo revise "
    "nuestro equipo. Puedes intentarlo de nuevo en unos minutos o escribir *asesor* para hablar con una persona."
)


@contextlib.contextmanager
def logged(name: str):
    """The records logged by ``name`` meanwhile (its own handler: the first live-server request
    of a run can reconfigure the root logger and drop pytest's caplog handler)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def text_of(records) -> str:
    return "\n".join(
        record.getMessage() + (f" {record.exc_info[0].__name__}" if record.exc_info else "") for record in records
    )


def dead_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_message_that_keeps_failing_is_given_up_with_an_apology(consented_chat, settings):
    """A session whose step lost the state it needs (written by an older release) makes every
    attempt raise: after MESSAGE_MAX_ATTEMPTS the message is failed (visible to staff) and the
    customer told once. (A flow a deploy removed no longer does: the engine starts it over.)"""
    settings.MESSAGE_MAX_ATTEMPTS = 3
    ana = consented_chat()
    ConversationSession.objects.filter(contact__wa_id=ana.wa_id).update(flow="privacidad", step="describe", data={})

    with logged("conversations.bot.inbox") as records:
        assert ana.says("buenas tardes") == []  # first attempt failed: the worker retries
        message = InboundMessage.objects.get(contact__wa_id=ana.wa_id, text="buenas tardes")
        assert (message.status, message.attempts) == (InboundMessage.Status.PENDING, 1)
        assert message.last_error == "KeyError: 'kind'"
        for _ in range(settings.MESSAGE_MAX_ATTEMPTS - 1):  # what the worker's retries do
            contact_inbox_answer(contact_id=message.contact_id)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (InboundMessage.Status.FAILED, 3)
    assert texts(ana.replies()) == APOLOGY
    assert text_of(records).count(f"processing message {message.pk} failed KeyError") == 3
    contact_inbox_answer(contact_id=message.contact_id)  # nothing pending: no second apology
    assert ana.replies() == []


def test_the_advisor_email_failing_does_not_stop_the_chat(consented_chat, settings):
    settings.TICKET_NOTIFY_EMAILS = ["asesores@proalto.test"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", dead_port(), 2
    ana = consented_chat()
    with logged("escalations.receivers") as records:
        body = texts(ana.says("quiero hablar con un asesor"))
    ticket = Ticket.objects.get(contact__wa_id=ana.wa_id)
    assert body.startswith(f"Con gusto te comunico con un asesor. Tu caso es el #{ticket.pk}.")
    assert ticket.status == Ticket.Status.OPEN
    assert text_of(records) == f"could not email advisors about ticket {ticket.pk} ConnectionRefusedError"


@contextlib.contextmanager
def broker_unreachable(settings):
    """The web process publishes to a port where nothing listens (tasks not eager); Celery's
    pools for the real broker are put aside meanwhile and restored afterwards."""
    from proalto.celery import _producer_drop, app

    saved = (settings.CELERY_BROKER_URL, app._pool, app.amqp._producer_pool)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{dead_port()}/0"
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        _producer_drop()
        settings.CELERY_BROKER_URL = saved[0]
        app._pool, app.amqp._producer_pool = saved[1], saved[2]
        settings.CELERY_TASK_ALWAYS_EAGER = True


def test_an_enqueue_that_fails_leaves_the_message_for_the_sweep(consented_chat, settings):
    ana = consented_chat()
    with broker_unreachable(settings), logged("proalto.celery") as records:
        assert ana.says("menú") == []  # Meta got its 200; nobody was told to answer
    message = InboundMessage.objects.get(contact__wa_id=ana.wa_id, text="menú")
    assert message.status == InboundMessage.Status.PENDING
    assert text_of(records).startswith("could not enqueue conversations.contact_inbox_answer")

    # The broker is back: beat's sweep finds the stored message and it is answered, once.
    assert pending_sweep(older_than_seconds=0)["inbound"] == 1
    assert "¿En qué te puedo ayudar?" in texts(ana.replies())  # the menu (greeted once per session)
    message.refresh_from_db()
    assert message.status == InboundMessage.Status.PROCESSED
    assert pending_sweep(older_than_seconds=0)["inbound"] == 0
