"""Celery entry points for credits: each calls one service and nothing more."""

from celery import shared_task

from credits.notifications import STAGE_NOTIFY_TASK, stage_changes_notify
from credits.services import portfolio_sync


@shared_task(name=STAGE_NOTIFY_TASK)
def stage_changes_notify_task() -> int:
    """Notify subscribed customers of recorded application stage changes (idempotent)."""
    return stage_changes_notify()


@shared_task(name="credits.portfolio_sync")
def portfolio_sync_task() -> dict:
    """Pull what changed in the core into the local copy (beat, every PORTFOLIO_SYNC_SECONDS).
    A core that cannot answer fails the run; the next one resumes from the same cursor."""
    return vars(portfolio_sync())
