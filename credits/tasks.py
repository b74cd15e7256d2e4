"""Celery entry points for credits: each calls one service and nothing more."""

from celery import shared_task

from credits import notifications


@shared_task
def notify_stage_changes() -> int:
    """Notify subscribed customers of recorded application stage changes (idempotent)."""
    return notifications.stage_changes_notify()
