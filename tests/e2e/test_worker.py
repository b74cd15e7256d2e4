"""Reliability with the real moving parts: a Celery worker process (prefork) on Redis, the
webhook served by a real WSGI server, PostgreSQL shared by both, the Cloud API stand-in.

Proves: one customer's burst is answered in arrival order while customers run in
parallel; a worker killed mid-task loses nothing and answers once; a webhook with the
broker down still answers 200 fast and the sweep enqueues the message later; a Meta 5xx
is retried by the task and a permanent 4xx is not.
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
import redis as redis_lib

from conversations.messaging.lock import session_lock
from conversations.messaging.sweep import pending_sweep
from conversations.models import InboundMessage, OutboundMessage
from tests.realworker import REAL_WORKER, consent_given, wait_broker_idle, wait_replies, wait_until
from tests.support import texts

pytestmark = REAL_WORKER

# Reply texts that tell the unsupported-type answers apart (templates/bot/menu/unsupported.txt).
SIGNATURE = {"audio": "notas de voz", "location": "ubicación", "sticker": "😊"}


@pytest.fixture(autouse=True)
def celery_eager(settings):
    """Overrides the suite's eager mode: here tasks go through Redis to a worker process."""
    settings.CELERY_TASK_ALWAYS_EAGER = False


def _kind_of(reply: dict) -> str:
    body = texts([reply])
    return next(kind for kind, mark in SIGNATURE.items() if mark in body)


def test_a_burst_is_answered_in_order_and_customers_run_in_parallel(chat, start_worker):
    start_worker()
    users = [chat(f"57300111{i:04d}", f"Cliente {i}") for i in range(4)]
    for user in users:
        consent_given(user)
    burst = ["audio", "location", "sticker", "location", "audio", "sticker"]

    def send_burst(user):
        for kind in burst:
            user._send(kind)

    threads = [threading.Thread(target=send_burst, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    wait_broker_idle(60)  # every message answered and nothing more to come
    for user in users:
        replies = user.replies()
        assert [_kind_of(r) for r in replies] == burst, f"{user.wa_id}: replies out of order or repeated"
    assert InboundMessage.objects.filter(status=InboundMessage.Status.PENDING).count() == 0


def test_a_worker_killed_mid_task_loses_nothing_and_answers_once(chat, standin, start_worker):
    worker = start_worker()
    ana = chat()
    consent_given(ana)

    standin.latency = 3  # every Graph call now takes 3 s: the worker will be inside one
    before = standin.requests
    ana._send("audio")
    deadline = time.monotonic() + 20
    while standin.requests == before:  # the worker is in the task, marking the message read
        assert time.monotonic() < deadline, "the worker never picked the task up"
        time.sleep(0.02)
    worker.kill()
    standin.latency = 0
    message = InboundMessage.objects.get(type="audio")
    assert message.status == InboundMessage.Status.PENDING  # nothing half-done

    # Redis re-delivers an unacknowledged task once the visibility timeout (5 s here) has
    # passed; a starting worker restores those at once (then kombu checks every ~100 s, and
    # the beat sweep re-enqueues pending messages meanwhile).
    time.sleep(6)
    start_worker()
    replies = wait_replies(ana, 1, timeout=60)
    assert "notas de voz" in texts(replies)
    # Acknowledged once answered: nothing left for Redis to deliver a second time.
    wait_broker_idle()
    assert ana.replies() == []
    message.refresh_from_db()
    assert message.status == InboundMessage.Status.PROCESSED
    assert OutboundMessage.objects.filter(in_reply_to=message).count() == 1


def test_broker_down_during_the_webhook_then_the_sweep_enqueues_it(chat, standin, start_worker, settings):
    from proalto.celery import app

    start_worker()
    ana = chat()
    consent_given(ana)

    # The web process publishes to a port where nothing listens; its pools to the real
    # broker are put aside (kombu keeps pools per broker URL) and restored afterwards.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    good_url, saved = settings.CELERY_BROKER_URL, (app._pool, app.amqp._producer_pool)
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{dead_port}/0"
    app._pool = app.amqp._producer_pool = None
    try:
        started = time.monotonic()
        ana._send("location")
        assert time.monotonic() - started < 2.0
    finally:
        settings.CELERY_BROKER_URL = good_url
        app._pool, app.amqp._producer_pool = saved
    message = InboundMessage.objects.get(type="location")
    assert message.status == InboundMessage.Status.PENDING
    broker = redis_lib.Redis.from_url(os.environ["REDIS_URL"])
    assert (broker.llen("celery"), broker.hlen("unacked")) == (0, 0)  # nobody knows about it yet
    assert ana.replies() == []

    assert pending_sweep(older_than_seconds=0)["inbound"] == 1
    replies = wait_replies(ana, 1)
    assert "ubicación" in texts(replies)
    wait_broker_idle()
    assert pending_sweep(older_than_seconds=0)["inbound"] == 0  # a second sweep finds nothing to redo
    wait_broker_idle()
    assert ana.replies() == []
    message.refresh_from_db()
    assert message.status == InboundMessage.Status.PROCESSED


def test_a_meta_5xx_is_retried_by_the_task_and_succeeds(chat, standin, start_worker):
    start_worker(WHATSAPP_MAX_RETRIES="0")  # no retries inside the client: the task retries
    ana = chat()
    consent_given(ana)
    # The first call (mark as read) and the first send both get a 503.
    standin.failures.append({"on": "messages", "status": 503, "code": 2, "times": 2})
    ana._send("audio")
    replies = wait_replies(ana, 1, timeout=30)
    assert "notas de voz" in texts(replies)
    out = OutboundMessage.objects.get(in_reply_to__type="audio")
    assert out.status == OutboundMessage.Status.SENT
    assert out.attempts == 2
    wait_broker_idle()  # no further retry pending
    assert ana.replies() == []


def test_a_permanent_4xx_is_not_retried(chat, standin, start_worker):
    start_worker(WHATSAPP_MAX_RETRIES="0")
    ana = chat()
    consent_given(ana)
    standin.failures.append({"on": "messages", "status": 400, "code": 131026, "times": 2})
    ana._send("audio")
    deadline = time.monotonic() + 30
    while not OutboundMessage.objects.filter(in_reply_to__type="audio", status=OutboundMessage.Status.FAILED).exists():
        assert time.monotonic() < deadline, "the refused reply was never marked failed"
        time.sleep(0.1)
    calls = standin.calls
    wait_broker_idle()  # a retry would be held unacknowledged by the worker until due: none is
    assert standin.calls == calls
    out = OutboundMessage.objects.get(in_reply_to__type="audio")
    assert out.error_code == 131026 and out.attempts == 1
    assert ana.replies() == []


def test_a_reply_queued_behind_another_workers_sends_goes_out_next_without_the_sweep(chat, standin, start_worker):
    """Two workers on one customer: the second processes a message while the first is still
    sending, leaves its reply queued behind the claim and flushes it once the claim is done
    (no beat runs here, so the sweep cannot be what sends it)."""
    worker = start_worker()
    ana = chat()
    consent_given(ana)

    standin.latency = 1  # each Graph call takes 1 s: the first worker is mid-send for a while
    before = standin.requests
    ana._send("audio")
    # The second message reaches the other pool process while the first is inside a Graph call.
    wait_until(lambda: standin.requests > before, "the first worker's Graph call")
    ana._send("location")
    replies = wait_replies(ana, 2, timeout=20)
    standin.latency = 0
    wait_broker_idle()
    replies += ana.replies()
    assert [_kind_of(r) for r in replies] == ["audio", "location"]
    assert OutboundMessage.objects.filter(status=OutboundMessage.Status.QUEUED).count() == 0
    # The path taken: the second worker found the first one's claim and flushed afterwards.
    assert b"conversations.contact_outbox_flush" in worker.log_path.read_bytes()


def test_the_webhook_publish_reconnects_after_the_broker_dropped_its_connection():
    """enqueue() keeps one broker connection per thread; when Redis drops it (a restart, an
    idle timeout) the next publish reconnects instead of losing the message to the sweep."""
    import base64
    import json

    from proalto.celery import _producer, enqueue

    broker = redis_lib.Redis.from_url(os.environ["REDIS_URL"])
    broker.flushdb()
    enqueue("conversations.contact_inbox_answer", 41)
    # Drop this thread's kept connection only (other tests' and the cache's stay): Redis knows
    # it by the address its socket was bound to on our side.
    pool = _producer()[0].channel.client.connection_pool
    ours = {f"127.0.0.1:{c._sock.getsockname()[1]}" for c in pool._available_connections if c._sock is not None}
    assert ours, "the kept connection was not found"
    for address in ours:
        assert broker.client_kill_filter(addr=address) == 1
    enqueue("conversations.contact_inbox_answer", 42)
    queued = [json.loads(raw) for raw in reversed(broker.lrange("celery", 0, -1))]
    assert [m["headers"]["task"] for m in queued] == ["conversations.contact_inbox_answer"] * 2
    assert [json.loads(base64.b64decode(m["body"]))[0] for m in queued] == [[41], [42]]
    broker.flushdb()


def test_a_worker_holding_a_customers_lock_does_not_hold_up_their_webhooks(chat):
    """The worker locks the customer's session row only; the webhook's upsert of the
    customer's contact row goes through meanwhile (Meta wants a fast 200)."""
    from django.db import connections, transaction

    from conversations.models import Contact, ConversationSession

    ana = chat()
    contact = Contact.objects.create(wa_id=ana.wa_id, profile_name="Ana")
    ConversationSession.objects.create(contact=contact)
    locked, release = threading.Event(), threading.Event()

    def worker_in_its_lock_cycle():
        try:
            with transaction.atomic():
                session_lock(contact.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=worker_in_its_lock_cycle)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        ana._send("location")
        assert time.monotonic() - started < 2
    finally:
        release.set()
        holder.join()
    assert InboundMessage.objects.filter(contact=contact, type="location").count() == 1
