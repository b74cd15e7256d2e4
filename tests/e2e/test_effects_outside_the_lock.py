"""Nothing slow runs while a customer's session row is locked, with a real worker.

While one customer's LLM call (4 s) or paz y salvo certificate is in progress: their session
row can be locked by anyone else at once (the worker does not hold it), another message of
the same customer is stored by the webhook at once, and other customers are answered
without waiting; afterwards everything reaches the customer once and in order.
"""

from __future__ import annotations

import threading
import time

from django.db import connection, connections, transaction

from conversations.models import Contact, ConversationSession, InboundMessage
from documents.models import PazYSalvo
from tests.realworker import REAL_WORKER, consent_given, wait_broker_idle, wait_replies
from tests.support import OpenAIStandIn, texts

pytestmark = REAL_WORKER

CARLOS = ("573009876543", "79456123", "20/09/1973")  # everything paid: gets the paz y salvo


def _session_lockable_at_once(wa_id: str) -> bool:
    """Whether another transaction can lock the customer's session row without waiting."""
    session = ConversationSession.objects.get(contact__wa_id=wa_id)
    result: list[bool] = []

    def attempt():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT id FROM {ConversationSession._meta.db_table} WHERE id = %s FOR UPDATE NOWAIT",
                        [session.pk],
                    )
                result.append(True)
        except Exception:
            result.append(False)
        finally:
            connections.close_all()

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join(10)
    return result == [True]


def _stored_at_once(user, text: str) -> float:
    started = time.monotonic()
    user._send("text", text={"body": text})
    elapsed = time.monotonic() - started
    assert InboundMessage.objects.filter(contact__wa_id=user.wa_id, text=text).count() == 1
    return elapsed


def test_a_slow_llm_call_holds_no_lock(chat, start_worker):
    llm = OpenAIStandIn(answer="saldo", delay=4)
    try:
        start_worker(
            INTENT_BACKEND="llm", OPENAI_API_KEY="test-key", OPENAI_BASE_URL=llm.url, OPENAI_TIMEOUT_SECONDS="10"
        )
        ana, luz = chat("573001234567", "Ana"), chat("573101112233", "Luz")
        consent_given(ana)
        consent_given(luz)
        llm.requests.clear()
        llm.started.clear()

        ana.says("me regalas la informacion de lo que debo")  # free text, read by the LLM
        assert llm.started.wait(15), "the worker never asked the LLM"
        asked_at = time.monotonic()
        assert _session_lockable_at_once(ana.wa_id)
        assert _stored_at_once(ana, "gracias") < 1.5
        luz._send("audio")  # another customer, answered while Ana's call is still running
        assert "notas de voz" in texts(wait_replies(luz, 1, timeout=10))
        assert time.monotonic() - asked_at < 4, "Luz waited for Ana's LLM call"

        # Ana's answers come once the LLM answered "saldo": the balance asks for her identity
        # first; then "gracias", read at that step as an unreadable cédula. Once, in order.
        replies = wait_replies(ana, 2, timeout=20)
        wait_broker_idle()  # nothing more to come
        replies += ana.replies()
        assert len(replies) == 2
        assert "confirmar que eres el titular" in texts(replies[:1])
        assert "No logré leer ese número de cédula" in texts(replies[1:])
        assert len(llm.requests) == 1  # only the free text of an idle chat went to the LLM
    finally:
        llm.close()


def test_a_certificate_is_prepared_outside_the_lock_and_arrives_in_order(chat, portfolio, start_worker):
    phone, cedula, issued = CARLOS
    start_worker()
    carlos, luz = chat(phone, "Carlos"), chat("573101112233", "Luz")
    consent_given(carlos)
    consent_given(luz)
    carlos.says("necesito mi paz y salvo")
    wait_replies(carlos, 1)
    carlos.says(cedula)
    wait_replies(carlos, 1)

    # Hold the certificate's insert: the worker renders and stores the PDF, then waits on
    # this table lock, in the middle of preparing the certificate.
    holder_ready, release = threading.Event(), threading.Event()

    def hold_certificates_table():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {PazYSalvo._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
                holder_ready.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_certificates_table)
    holder.start()
    try:
        assert holder_ready.wait(10)
        carlos._send("text", text={"body": issued})  # validated: the certificate is due
        _wait_until_waiting_on(PazYSalvo._meta.db_table)

        assert _session_lockable_at_once(phone)
        assert _stored_at_once(carlos, "gracias") < 1.5
        luz._send("audio")
        assert "notas de voz" in texts(wait_replies(luz, 1, timeout=10))
        _wait_until_waiting_on(PazYSalvo._meta.db_table)  # the worker is still held on the certificate
        during = carlos.replies()
        assert all(m["payload"]["type"] != "document" for m in during)  # still being prepared
    finally:
        release.set()
        holder.join()

    replies = during + wait_replies(carlos, 3, timeout=30)
    wait_broker_idle()  # nothing more to come
    replies += carlos.replies()
    kinds = [m["payload"]["type"] for m in replies]
    assert kinds.count("document") == 1
    # Nothing said after the certificate overtook it: "¿algo más?" and the answer to
    # "gracias" come after the document.
    after = texts(replies[kinds.index("document") + 1 :])
    assert "¿Hay algo más en lo que pueda ayudarte?" in after
    assert "¿Hay algo más" not in texts(replies[: kinds.index("document")])
    assert PazYSalvo.objects.count() == 1
    assert Contact.objects.filter(wa_id=phone).count() == 1


def _wait_until_waiting_on(table: str, timeout: float = 30) -> None:
    """Until some PostgreSQL backend is waiting for a lock on ``table``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass", [table])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError(f"no worker ever waited on {table}")
