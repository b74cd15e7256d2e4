"""Periodic Habeas Data work: entry points only, the logic lives in consent.services."""

from celery import shared_task

from consent.alerts import rights_request_alert_new, rights_requests_alert_due
from consent.services import rights_request_withdraw_stale, unconsented_messages_purge


@shared_task(name="consent.rights_request_withdraw_stale")
def rights_request_withdraw_stale_task() -> int:
    """Reclamos that waited two months for missing information are deemed withdrawn."""
    return rights_request_withdraw_stale()


@shared_task(name="consent.unconsented_messages_purge")
def unconsented_messages_purge_task() -> int:
    """Messages of people who declined or never answered the authorisation are not kept."""
    return unconsented_messages_purge()


@shared_task(name="consent.rights_request_alert_new")
def rights_request_alert_new_task(request_id: int) -> bool:
    """E-mail compliance that a data-rights request arrived."""
    return rights_request_alert_new(request_id=request_id)


@shared_task(name="consent.rights_requests_alert_due")
def rights_requests_alert_due_task() -> int:
    """E-mail compliance, once a day, the requests due within two business days."""
    return rights_requests_alert_due()
