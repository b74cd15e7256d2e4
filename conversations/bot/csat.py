"""Customer satisfaction (CSAT) services: scheduling, asking and recording surveys.

Scheduled after the bot resolves a request (``flow_resolved``) or an advisor closes a
ticket; asked a little later, only when the customer is idle (never in the middle of
another conversation, inside Meta's 24-hour window, with consent) and at most once per
CSAT_MIN_HOURS per contact. Asking puts the chat at the ``csat`` flow's ``rating`` step.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from consent.selectors import contact_has_consent
from conversations.bot.models import CsatSurvey
from conversations.messaging.lock import session_lock
from conversations.messaging.models import ConversationSession, OutboundMessage
from conversations.messaging.outbox import outbound_queue
from conversations.messaging.replies import render
from escalations.selectors import contact_ticket_open

logger = logging.getLogger(__name__)

FLOW = "csat"
ASK = "csat/ask.txt"
# Flows that end without answering a request of the customer's (greeting, goodbye, consent, this one).
NOT_REQUESTS = frozenset({"menu", "consentimiento", "csat"})
# Where the chat counts as idle for asking: no flow, or only the menu waiting for a choice.
IDLE_FLOWS = frozenset({"", "menu"})
COMMENT_MAX_CHARS = 1000


def csat_survey_schedule(*, contact, trigger: str, flow: str = "", ticket=None, now=None) -> CsatSurvey | None:
    """Plan a survey for this contact, unless one was asked recently or is already planned."""
    now = now or timezone.now()
    if trigger == CsatSurvey.Trigger.TICKET and (ticket is None or ticket.taken_at is None):
        return None  # nobody attended the customer: nothing to rate
    if ticket is not None and CsatSurvey.objects.filter(ticket=ticket).exists():
        return None
    recent = Q(status=CsatSurvey.Status.SCHEDULED) | Q(asked_at__gte=now - timedelta(hours=settings.CSAT_MIN_HOURS))
    if CsatSurvey.objects.filter(recent, contact=contact).exists():
        return None
    if not contact_has_consent(contact=contact):
        return None
    survey = CsatSurvey.objects.create(
        contact=contact,
        trigger=trigger,
        flow=flow,
        ticket=ticket,
        created_at=now,
        due_at=now + timedelta(seconds=settings.CSAT_DELAY_SECONDS),
    )
    if settings.CSAT_DELAY_SECONDS <= 0:
        contact_id = contact.pk
        transaction.on_commit(lambda: csat_surveys_send_due(contact_id=contact_id))
    return survey


def csat_surveys_send_due(*, now=None, contact_id: int | None = None) -> int:
    """Ask the due surveys whose customers are idle; expire the ones that can no longer be asked.

    Returns how many questions were queued.
    """
    now = now or timezone.now()
    due = CsatSurvey.objects.filter(status=CsatSurvey.Status.SCHEDULED, due_at__lte=now)
    if contact_id is not None:
        due = due.filter(contact_id=contact_id)
    asked = 0
    for survey_id in due.order_by("due_at", "id").values_list("id", flat=True):
        with transaction.atomic():
            survey = CsatSurvey.objects.select_related("contact").get(pk=survey_id)
            session = session_lock(survey.contact_id)
            survey.refresh_from_db()
            if survey.status != CsatSurvey.Status.SCHEDULED:
                continue
            contact = survey.contact
            stale = now - survey.due_at > timedelta(minutes=settings.CSAT_SEND_WITHIN_MINUTES)
            if stale or not contact.in_service_window(now=now) or not contact_has_consent(contact=contact):
                _expire(survey)
                continue
            if contact_ticket_open(contact=contact) is not None:
                # The customer is (again) with an advisor: that ticket's close will ask.
                _expire(survey)
                continue
            if not _idle(session, now):
                continue  # the next sweep tries again
            rendered = render(ASK, {"trigger": survey.trigger})
            outbound_queue(
                contact=contact, body=rendered.body, preview=rendered.preview, sender=OutboundMessage.Sender.BOT
            )
            session.flow, session.step = FLOW, "rating"
            session.data = {"survey": survey.pk}
            session.misunderstandings = 0
            session.save(update_fields=["flow", "step", "data", "misunderstandings"])
            survey.status = CsatSurvey.Status.ASKED
            survey.asked_at = now
            survey.save(update_fields=["status", "asked_at"])
            asked += 1
    return asked


def _idle(session: ConversationSession, now) -> bool:
    if session.last_activity and (now - session.last_activity).total_seconds() < settings.CSAT_DELAY_SECONDS:
        return False
    if session.flow in IDLE_FLOWS:
        return True
    # A flow left untouched longer than the session lifetime is over for the customer.
    return session.last_activity is None or now - session.last_activity > timedelta(
        minutes=settings.SESSION_IDLE_MINUTES
    )


def _expire(survey: CsatSurvey) -> None:
    survey.status = CsatSurvey.Status.EXPIRED
    survey.save(update_fields=["status"])


def csat_survey_rate(*, survey: CsatSurvey, rating: int, now) -> CsatSurvey:
    survey.rating = rating
    survey.status = CsatSurvey.Status.ANSWERED
    survey.answered_at = now
    survey.save(update_fields=["rating", "status", "answered_at"])
    return survey


def csat_survey_comment(*, survey: CsatSurvey, comment: str) -> CsatSurvey:
    survey.comment = comment.strip()[:COMMENT_MAX_CHARS]
    survey.save(update_fields=["comment"])
    return survey


def contact_survey_open(*, contact, now) -> CsatSurvey | None:
    """The question this contact may still answer (asked, unanswered, not too old)."""
    return (
        CsatSurvey.objects.filter(
            contact=contact,
            status=CsatSurvey.Status.ASKED,
            asked_at__gte=now - timedelta(hours=settings.CSAT_ANSWER_HOURS),
        )
        .order_by("-asked_at", "-id")
        .first()
    )


def survey_by_id(*, survey_id: int | None, contact) -> CsatSurvey | None:
    return CsatSurvey.objects.filter(pk=survey_id or 0, contact=contact).first()
