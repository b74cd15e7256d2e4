"""Faults with the real moving parts (a prefork Celery worker on Redis, PostgreSQL, the
webhook on a real WSGI server, the Cloud API stand-in): Meta throttling the number or
refusing the token, and worker processes killed in the middle of a burst.

What must hold: every customer is answered, once, in order; nothing fails because Meta asked
us to wait; the operators get one e-mail about a bad token, not one per message; a killed
worker's claims are taken over within seconds, not after the stale-claim sweep (~150 s)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from conversations.models import Contact, InboundMessage, OutboundMessage
from tests.realworker import REAL_WORKER

pytestmark = REAL_WORKER


def _burst(chat, count: int, prefix: str) -> list:
    users = [chat(f"{prefix}{i:04d}", f"Cliente {i}") for i in range(count)]
    for user in users:
        user._send("text", text={"body": "hola"})
    return users


def _wait(condition, *, timeout: float, what: str) -> float:
    """Wait for ``condition()`` (polling the database or the stand-in); returns the seconds waited."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"{what} not within {timeout:.0f} s"
        time.sleep(0.05)
    return time.monotonic() - started


def _answered(users) -> bool:
    contacts = Contact.objects.filter(wa_id__in=[u.wa_id for u in users])
    return (
        not InboundMessage.objects.filter(contact__in=contacts, status=InboundMessage.Status.PENDING).exists()
        and not OutboundMessage.objects.filter(contact__in=contacts)
        .exclude(status__in=[OutboundMessage.Status.SENT, OutboundMessage.Status.FAILED])
        .exists()
    )


def _assert_each_answered_once_in_order(standin, users) -> None:
    for user in users:
        rows = list(
            OutboundMessage.objects.filter(contact__wa_id=user.wa_id)
            .order_by("pk")
            .values_list("status", "wa_message_id")
        )
        assert rows and all(status == OutboundMessage.Status.SENT for status, _ in rows), f"{user.wa_id}: {rows}"
        delivered = [m["id"] for m in standin.sent_to(user.wa_id)]
        assert delivered == [wa_id for _, wa_id in rows], f"{user.wa_id}: delivered twice, lost or out of order"


def _pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def test_a_throttled_number_holds_replies_and_delivers_each_once_in_order(chat, standin, start_worker):
    start_worker()
    standin.fail({"on": "messages", "status": 429, "code": 130429, "seconds": 3})
    users = _burst(chat, 12, "5730022")
    # The worker keeps processing what arrives while the replies wait (nothing sleeps in it).
    _wait(
        lambda: not InboundMessage.objects.filter(status=InboundMessage.Status.PENDING).exists(),
        timeout=20,
        what="messages processed during the throttling",
    )
    _wait(lambda: _answered(users), timeout=30, what="every held reply delivered")
    _assert_each_answered_once_in_order(standin, users)
    assert standin.refused > 0
    assert not OutboundMessage.objects.filter(attempts__gt=1).exists()  # waiting cost no attempt


def test_a_revoked_token_holds_replies_until_it_works_again_and_alerts_once(chat, standin, start_worker):
    worker = start_worker(
        ADMINS="Operaciones <operaciones@proalto.example>",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",  # into the worker's log
        WHATSAPP_CIRCUIT_MAX_COOLDOWN_SECONDS="1",
    )
    token, standin.access_token = standin.access_token, "renewed-on-meta-but-not-here"
    try:
        users = _burst(chat, 5, "5730033")
        _wait(
            lambda: standin.requests >= 3 and not InboundMessage.objects.filter(status="pending").exists(),
            timeout=20,
            what="messages processed and the token refused",
        )
        time.sleep(2)  # two more probes, refused too (a fixed wait: the point is that nothing happens)
        assert standin.sent_to() == []
        assert not OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED).exists()
    finally:
        standin.access_token = token  # the operators put the right token back
    _wait(lambda: _answered(users), timeout=20, what="every held reply delivered after the token works")
    _assert_each_answered_once_in_order(standin, users)
    log = worker.log_path.read_text(errors="replace")
    assert log.count("Subject: [Django] Token de WhatsApp rechazado (190)") == 1
    assert "To: operaciones@proalto.example" in log


def _claims_held(users) -> bool:
    return OutboundMessage.objects.filter(contact__wa_id__in=[u.wa_id for u in users], status="sending").count() >= 2


def _burst_caught_in_failing_sends(chat, standin, count: int, prefix: str) -> list:
    """A burst whose sends are in flight: every Graph call takes a second and fails, so the
    worker is caught inside a send, holding claims, and nothing reaches a customer before
    the kill (no reply can be doubled)."""
    standin.latency = 1
    standin.fail({"on": "any", "status": 500, "code": 1, "seconds": 600})
    users = _burst(chat, count, prefix)
    _wait(lambda: _claims_held(users), timeout=30, what="worker processes holding send claims")
    return users


def _meta_recovers(standin) -> None:
    time.sleep(1.5)  # the calls in flight end (refused) first
    standin.latency = 0
    standin.failures.clear()


def test_killed_pool_processes_claims_are_taken_over_at_once(chat, standin, start_worker):
    worker = start_worker()
    users = _burst_caught_in_failing_sends(chat, standin, 40, "5730044")
    for child in _pool_children(worker.proc.pid):
        os.kill(child, signal.SIGKILL)
    killed = time.monotonic()
    _meta_recovers(standin)
    _wait(lambda: _answered(users), timeout=30 - (time.monotonic() - killed), what="every customer answered")
    _assert_each_answered_once_in_order(standin, users)


def test_a_restarted_worker_takes_over_its_predecessors_claims_at_once(chat, standin, start_worker):
    worker = start_worker()
    users = _burst_caught_in_failing_sends(chat, standin, 6, "5730055")
    worker.kill()  # the whole worker: nothing acknowledged, nothing cleaned up
    killed = time.monotonic()
    _meta_recovers(standin)
    start_worker()
    _wait(lambda: _answered(users), timeout=30 - (time.monotonic() - killed), what="every customer answered")
    _assert_each_answered_once_in_order(standin, users)
