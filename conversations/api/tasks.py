"""Celery entry points of the internal API: each calls one service."""

from celery import shared_task

from .leads import DELIVER_TASK, lead_deliver


@shared_task(name=DELIVER_TASK)
def lead_deliver_task(delivery_id: int) -> str:
    """POST one lead to CRM_WEBHOOK_URL (retries itself with backoff on failure)."""
    return lead_deliver(delivery_id=delivery_id)
