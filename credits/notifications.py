"""Telling subscribed customers that their credit application changed stage.

`stage_changes_notify` takes the recorded `ApplicationStageChange` rows not yet notified,
one application at a time under row locks (so two workers, or a run repeated, never
notify twice), and queues one proactive message per subscribed contact:

- inside Meta's 24-hour window (at the time it will be sent) a normal text message;
  outside it the approved template `settings.WHATSAPP_NOTIFY_TEMPLATE` with body
  parameters (first name, application number, stage in words);
- never outside the hours Ley 2300 de 2023 allows (`next_contact_time`), and at most one
  proactive message per contact per Colombian day: a later one waits for the next
  allowed day. The message is queued with `not_before`; the sweep sends it when due.

Several changes of one application pending at once are told as one message (its current
stage). A stage that moved backwards (the core corrected it) is never told. Final stages
(desembolso, rechazada) end the subscription.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conversations.messaging.lock import session_lock
from conversations.messaging.models import OutboundMessage
from conversations.messaging.outbox import outbound_queue
from conversations.messaging.replies import render
from conversations.messaging.window import proactive_body
from proalto.celery import enqueue
from proalto.colombia import BOGOTA, next_contact_time

from .models import FINAL_STAGES, STAGE_RANK, Application, ApplicationStageChange, ApplicationSubscription

logger = logging.getLogger(__name__)

STAGE_NOTIFY_TASK = "credits.stage_changes_notify"
NOTIFY_TEXT = "estado_solicitud/notify.txt"
# A text goes only if the window is still open this long after its planned time (a busy
# worker may send it a little late; a text outside the window is refused by Meta).
WINDOW_MARGIN = timedelta(hours=1)
STAGE_NAME = "estado_solicitud/stage_name.txt"


def stage_changes_enqueue() -> None:
    """Ask a worker to notify pending changes now (the beat sweep is the fallback)."""
    try:
        enqueue(STAGE_NOTIFY_TASK)
    except Exception:  # broker down: the changes are stored; the beat sweep picks them up
        logger.warning("could not enqueue stage-change notifications; the sweep will pick them up", exc_info=True)


def stage_changes_notify(*, now: datetime | None = None) -> int:
    """Notify every pending stage change; returns how many messages were queued."""
    now = now or timezone.now()
    application_ids = (
        ApplicationStageChange.objects.filter(notified_at__isnull=True)
        .order_by("application_id")
        .values_list("application_id", flat=True)
        .distinct()
    )
    return sum(_application_notify(application_id, now=now) for application_id in list(application_ids))


def _application_notify(application_id: int, *, now: datetime) -> int:
    with transaction.atomic():
        changes = list(
            ApplicationStageChange.objects.select_for_update()
            .filter(application_id=application_id, notified_at__isnull=True)
            .order_by("changed_at", "pk")
        )
        if not changes:
            return 0  # another run took them
        application = Application.objects.select_related("customer").get(pk=application_id)
        queued = 0
        from_stage = changes[0].from_stage
        # Back and forth is no news; a stage moving backwards is never told.
        if application.stage != from_stage and not _backwards(from_stage, application.stage):
            subscriptions = ApplicationSubscription.objects.select_for_update().filter(
                application=application, active=True
            )
            for subscription in subscriptions.select_related("contact"):
                _subscriber_notify(subscription, application, now=now)
                queued += 1
        ApplicationStageChange.objects.filter(pk__in=[c.pk for c in changes]).update(notified_at=now)
    return queued


def _backwards(from_stage: str, to_stage: str) -> bool:
    return bool(from_stage) and STAGE_RANK.get(to_stage, 0) < STAGE_RANK.get(from_stage, 0)


def _subscriber_notify(subscription: ApplicationSubscription, application: Application, *, now: datetime) -> None:
    contact = subscription.contact
    # The per-customer lock: one proactive message per day holds even when two applications
    # of one customer change at once.
    session_lock(contact.pk)

    send_at = proactive_send_time(contact=contact, now=now)
    context = {
        "first_name": (
            application.customer.full_name if application.customer else application.details.get("full_name", "")
        ).split(" ")[0],
        "number": application.number,
        "stage": application.stage,
    }
    text = render(NOTIFY_TEXT, context)
    body = proactive_body(
        contact=contact,
        rendered=text,
        at=send_at + WINDOW_MARGIN,
        template=settings.WHATSAPP_NOTIFY_TEMPLATE,
        params=[context["first_name"], application.number, render(STAGE_NAME, context).preview],
    )
    outbound_queue(
        contact=contact, body=body, preview=text.preview, sender=OutboundMessage.Sender.SYSTEM, not_before=send_at
    )
    subscription.last_notified_at = now
    subscription.active = application.stage not in FINAL_STAGES
    subscription.save(update_fields=["last_notified_at", "active"])
    logger.info(
        "application %s stage %s notified to %s (%s, from %s)",
        application.number,
        application.stage,
        contact.masked,
        body["type"],
        send_at.isoformat(),
    )


def proactive_send_time(*, contact, now: datetime) -> datetime:
    """When a new proactive message to this contact may go out.

    The first instant Ley 2300 de 2023 allows, on a Colombian day with no other proactive
    message (a queued or sent message with `not_before`) to the contact.
    """
    send_at = next_contact_time(now)
    for _ in range(370):
        day = send_at.astimezone(BOGOTA).date()
        start = datetime.combine(day, time(0), tzinfo=BOGOTA)
        taken = (
            OutboundMessage.objects.filter(
                contact=contact, not_before__gte=start, not_before__lt=start + timedelta(days=1)
            )
            .exclude(status=OutboundMessage.Status.FAILED)
            .exists()
        )
        if not taken:
            return send_at
        send_at = next_contact_time(start + timedelta(days=1))
    raise RuntimeError("no free day for a proactive message within a year")
