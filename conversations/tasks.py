"""Celery entry points for conversations: each calls one service and nothing more.

Tasks acknowledge late and may run twice; the services are idempotent (they act on
pending rows under the per-customer lock).
"""

from celery import shared_task

from conversations import services

BUSY_MAX_RETRIES = 12


@shared_task(bind=True, max_retries=None)
def process_contact(self, contact_id: int) -> None:
    result = services.contact_inbox_answer(contact_id=contact_id)
    if result.send_retry_in is not None or result.busy:
        # A transient send failure retries the flush on its own, and so does a reply left
        # queued behind another worker's sends. (flush_outbox.run() here raised Retry
        # without scheduling anything: the reply waited for the sweep.)
        services.enqueue_sending(contact_id, countdown=result.send_retry_in or services.BUSY_RETRY_SECONDS)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)


@shared_task(bind=True, max_retries=None)
def flush_outbox(self, contact_id: int) -> None:
    result = services.contact_outbox_flush(contact_id=contact_id)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    if result.busy and self.request.retries < BUSY_MAX_RETRIES:
        # Another worker is still sending this customer's earlier messages: back off until it
        # is done. After ~2.5 minutes the sweep has released a dead worker's claim and
        # flushes the queue itself, so the retries stop there.
        raise self.retry(countdown=min(services.BUSY_RETRY_SECONDS * 2**self.request.retries, 30))


@shared_task
def sweep_pending() -> dict:
    return services.pending_sweep()
