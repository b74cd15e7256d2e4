"""Celery entry points of the internal API: each calls one service."""

from celery import shared_task

from .leads import DELIVER_TASK, SWEEP_TASK, lead_deliver, lead_deliveries_sweep


@shared_task(name=DELIVER_TASK)
def lead_deliver_task(delivery_id: int, attempt: int | None = None) -> str:
    """POST one lead to CRM_WEBHOOK_URL as attempt `attempt` (retries itself with backoff on failure)."""
    return lead_deliver(delivery_id=delivery_id, attempt=attempt)


@shared_task(name=SWEEP_TASK)
def lead_deliveries_sweep_task() -> int:
    """Re-queue CRM deliveries whose task was lost (beat, every CRM_WEBHOOK_SWEEP_SECONDS)."""
    return lead_deliveries_sweep()
