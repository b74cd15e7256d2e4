"""Periodic Habeas Data work: entry points only, the logic lives in consent.services."""

from celery import shared_task

from consent.services import rights_request_withdraw_stale


@shared_task
def withdraw_stale_reclamos() -> int:
    """Reclamos that waited two months for missing information are deemed withdrawn."""
    return rights_request_withdraw_stale()
