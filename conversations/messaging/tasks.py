"""Celery entry points of messaging: each calls one service and nothing more.

Tasks acknowledge late and may run twice; the services are idempotent (they act on
queued rows under the per-contact lock).
"""

from celery import shared_task
from celery.signals import worker_ready

from conversations.messaging.outbox import (
    BUSY_RETRY_SECONDS,
    FLUSH_TASK,
    PROBE_TASK,
    circuit_probe,
    contact_outbox_flush,
)
from conversations.messaging.sweep import pending_sweep
from proalto.celery import enqueue_or_defer

RECOVER_TASK = "conversations.claims_recover"

BUSY_MAX_RETRIES = 12


@shared_task(name=FLUSH_TASK, bind=True, max_retries=None)
def contact_outbox_flush_task(self, contact_id: int) -> None:
    result = contact_outbox_flush(contact_id=contact_id)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    if result.busy and self.request.retries < BUSY_MAX_RETRIES:
        # Another worker is still sending this customer's earlier messages: back off until it
        # is done. After ~2.5 minutes the sweep has released a dead worker's claim and
        # flushes the queue itself, so the retries stop there.
        raise self.retry(countdown=min(BUSY_RETRY_SECONDS * 2**self.request.retries, 30))


@shared_task(name=PROBE_TASK)
def circuit_probe_task() -> None:
    circuit_probe()


@shared_task(name="conversations.pending_sweep")
def pending_sweep_task() -> dict:
    return pending_sweep()


@shared_task(name=RECOVER_TASK)
def claims_recover_task() -> dict:
    """The sweep, for everything at once: run when a worker starts on this machine."""
    return pending_sweep(older_than_seconds=0)


@worker_ready.connect
def _recover_on_start(**kwargs) -> None:
    # A worker that (re)starts here takes over at once what a killed predecessor held: its
    # claims name processes that are gone. (Pool processes killed under a live worker need
    # nothing: their tasks are re-delivered and the claims taken over when met.)
    enqueue_or_defer(RECOVER_TASK)
