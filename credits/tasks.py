"""Celery entry points for credits: each calls one service and nothing more."""

from celery import shared_task

from credits.notifications import STAGE_NOTIFY_TASK, stage_changes_notify


@shared_task(name=STAGE_NOTIFY_TASK)
def stage_changes_notify_task() -> int:
    """Notify subscribed customers of recorded application stage changes (idempotent)."""
    return stage_changes_notify()
