"""Claims name the worker process that holds them: a claim of a process that is gone is
taken over by the next worker that meets it, at once; one of another machine after its
lease; a live worker's claim is left alone. (The audit: a killed worker's customers waited
~150 s for the stale-claim sweep.)"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.messaging import whatsapp
from conversations.messaging.lock import CLAIM_LEASE_SECONDS, HOST, preparation_claim
from conversations.messaging.outbox import contact_outbox_flush
from conversations.messaging.sweep import pending_sweep
from conversations.models import Contact, ConversationSession, OutboundMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def live_pid():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid
    process.kill()
    process.wait()


def _claimed(phone: str, holder: str, *, age: float = 0) -> Contact:
    contact = Contact.objects.create(wa_id=phone)
    OutboundMessage.objects.create(
        contact=contact,
        kind="text",
        preview="uno",
        body=whatsapp.text_body("uno"),
        status="sending",
        attempts=1,
        claimed_at=timezone.now() - timedelta(seconds=age),
        claimed_by=holder,
    )
    OutboundMessage.objects.create(contact=contact, kind="text", preview="dos", body=whatsapp.text_body("dos"))
    return contact


def _delivered(standin, contact) -> list[str]:
    return [m["payload"]["text"]["body"] for m in standin.sent_to(contact.wa_id)]


def test_a_claim_of_a_process_that_is_gone_is_taken_over_at_once(standin, dead_pid):
    contact = _claimed("573001120001", f"{HOST}:{dead_pid}")
    result = contact_outbox_flush(contact_id=contact.pk)
    assert (result.sent, result.busy) == (2, False)
    assert _delivered(standin, contact) == ["uno", "dos"]
    assert list(OutboundMessage.objects.filter(contact=contact).values_list("attempts", flat=True)) == [2, 1]


def test_a_live_workers_claim_is_left_alone(standin, live_pid):
    contact = _claimed("573001120002", f"{HOST}:{live_pid}")
    result = contact_outbox_flush(contact_id=contact.pk)
    assert (result.sent, result.busy) == (0, True)
    assert standin.sent_to() == []


def test_another_machines_claim_is_judged_by_its_lease(standin):
    fresh = _claimed("573001120003", "otra-maquina:4242", age=CLAIM_LEASE_SECONDS - 5)
    assert contact_outbox_flush(contact_id=fresh.pk).busy
    expired = _claimed("573001120004", "otra-maquina:4242", age=CLAIM_LEASE_SECONDS + 1)
    assert contact_outbox_flush(contact_id=expired.pk).sent == 2
    assert standin.sent_to(fresh.wa_id) == []


def test_the_sweep_requeues_a_dead_processs_claims_whatever_their_age(standin, dead_pid, live_pid, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # count what it finds; nothing runs
    dead = _claimed("573001120005", f"{HOST}:{dead_pid}")
    live = _claimed("573001120006", f"{HOST}:{live_pid}")
    pending_sweep(older_than_seconds=0)
    assert OutboundMessage.objects.get(contact=dead, preview="uno").status == "queued"
    assert OutboundMessage.objects.get(contact=live, preview="uno").status == "sending"


def test_a_preparation_claim_of_a_process_that_is_gone_is_taken_over(dead_pid, live_pid):
    ana = Contact.objects.create(wa_id="573001120007")
    beto = Contact.objects.create(wa_id="573001120008")
    until = timezone.now() + timedelta(seconds=60)
    ConversationSession.objects.create(contact=ana, preparing_until=until, preparing_by=f"{HOST}:{dead_pid}")
    ConversationSession.objects.create(contact=beto, preparing_until=until, preparing_by=f"{HOST}:{live_pid}")
    assert preparation_claim(ana.pk, seconds=60)
    assert not preparation_claim(beto.pk, seconds=60)
    assert ConversationSession.objects.get(contact=ana).preparing_by == f"{HOST}:{os.getpid()}"
