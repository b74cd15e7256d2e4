"""Celery entry points of the bot: each calls one service and nothing more."""

from celery import shared_task
from celery.signals import worker_init

from conversations.bot import intents
from conversations.bot.csat import csat_surveys_send_due
from conversations.bot.inbox import contact_inbox_answer, contact_outbound_prepare
from conversations.messaging.ingest import INBOX_TASK
from conversations.messaging.outbox import BUSY_RETRY_SECONDS, enqueue_sending
from conversations.messaging.sweep import PREPARE_TASK


@shared_task(name=INBOX_TASK, bind=True, max_retries=None)
def contact_inbox_answer_task(self, contact_id: int) -> None:
    result = contact_inbox_answer(contact_id=contact_id)
    if result.send_retry_in is not None or result.busy:
        # A transient send failure retries the flush on its own, and so does a reply left
        # queued behind another worker's sends.
        enqueue_sending(contact_id, countdown=result.send_retry_in or BUSY_RETRY_SECONDS)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)


@shared_task(name=PREPARE_TASK, bind=True, max_retries=None)
def contact_outbound_prepare_task(self, contact_id: int) -> None:
    result = contact_outbound_prepare(contact_id=contact_id)
    if result.retry_in is not None or result.busy:
        enqueue_sending(contact_id, countdown=result.retry_in or BUSY_RETRY_SECONDS)


@shared_task(name="conversations.csat_surveys_send_due")
def csat_surveys_send_due_task() -> int:
    return csat_surveys_send_due()


@worker_init.connect
def _intents_model_train(**kwargs) -> None:
    # The recogniser's model trains in about a second: in the worker, before its pool forks
    # (the processes share what it learnt), not on a customer's first message.
    intents.warm()
