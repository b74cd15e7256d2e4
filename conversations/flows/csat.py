"""Customer satisfaction (CSAT): a 1-5 rating and an optional comment.

Scheduled after the bot resolves a request (``flow_resolved``) or an advisor closes a
ticket; asked a little later, only when the customer is idle (never in the middle of
another conversation, inside Meta's 24-hour window, with consent) and at most once per
CSAT_MIN_HOURS per contact. Asking puts the chat at this flow's ``rating`` step, so a
typed "4" is a rating, not menu option 4; a tap on an older question reaches
``on_choice`` through the engine's ``choice_prefix`` routing.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from consent.selectors import contact_has_consent
from conversations.engine import simplify
from conversations.flows import Flow, register
from conversations.models import ConversationSession, CsatSurvey
from conversations.replies import render

logger = logging.getLogger(__name__)

ASK = "csat/ask.txt"
# Flows that end without answering a request of the customer's (greeting, goodbye, consent, this one).
NOT_REQUESTS = frozenset({"menu", "consentimiento", "csat"})
# Where the chat counts as idle for asking: no flow, or only the menu waiting for a choice.
IDLE_FLOWS = frozenset({"", "menu"})
SKIP_WORDS = {"omitir", "no", "no gracias", "ninguno", "nada", "sin comentarios", "paso", "listo"}
NUMBER_WORDS = {"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5}
OUT_OF_RANGE = 0
COMMENT_MAX_CHARS = 1000


# --- Services --------------------------------------------------------------------------------


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
    from conversations.services import outbound_queue
    from escalations.selectors import contact_ticket_open

    now = now or timezone.now()
    due = CsatSurvey.objects.filter(status=CsatSurvey.Status.SCHEDULED, due_at__lte=now)
    if contact_id is not None:
        due = due.filter(contact_id=contact_id)
    asked = 0
    for survey_id in due.order_by("due_at", "id").values_list("id", flat=True):
        with transaction.atomic():
            survey = CsatSurvey.objects.select_related("contact").get(pk=survey_id)
            ConversationSession.objects.get_or_create(contact_id=survey.contact_id)
            session = ConversationSession.objects.select_for_update().get(contact_id=survey.contact_id)
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
            outbound_queue(contact=contact, body=rendered.body, preview=rendered.preview, sender="bot")
            session.flow, session.step = CsatFlow.name, "rating"
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
    return session.last_activity is None or now - session.last_activity > timedelta(minutes=settings.SESSION_IDLE_MINUTES)


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


@shared_task
def send_due_surveys() -> int:
    """Beat entry point (CELERY_BEAT_SCHEDULE "csat-send-due")."""
    return csat_surveys_send_due()


# --- The flow ----------------------------------------------------------------------------------


def parse_rating(incoming) -> int | None:
    """1-5 from a tapped row or typed text ("4", "4 estrellas", "cuatro", "⭐⭐⭐⭐").

    OUT_OF_RANGE for a number that is not 1-5; None when the message is not a rating.
    """
    match = re.fullmatch(r"csat_([1-5])", incoming.choice or "")
    if match:
        return int(match.group(1))
    if incoming.type != "text":
        return None
    raw = (incoming.text or "").strip()
    if raw and set(raw) <= {"⭐", "★", " ", "\ufe0f"}:
        stars = raw.count("⭐") + raw.count("★")
        return stars if 1 <= stars <= 5 else OUT_OF_RANGE
    words = simplify(raw).split()
    if not words or len(words) > 3:
        return None
    first = words[0]
    rest = set(words[1:]) <= {"estrellas", "estrella", "de", "5", "puntos", "punto"}
    if first.isdigit() and rest:
        value = int(first)
        return value if 1 <= value <= 5 else OUT_OF_RANGE
    if first in NUMBER_WORDS and rest:
        return NUMBER_WORDS[first]
    return None


@register
class CsatFlow(Flow):
    name = "csat"
    choice_prefix = "csat_"

    def on_choice(self, turn):
        """A tap on a survey message while the chat was somewhere else."""
        if turn.incoming.choice == "csat_skip":
            turn.say("csat/thanks.txt")
            turn.end(offer_more=False, resolved=False)
            return
        self.on_rating(turn)

    def on_rating(self, turn):
        rating = parse_rating(turn.incoming)
        survey = contact_survey_open(contact=turn.contact, now=turn.now)
        if rating is None and not (turn.incoming.choice or "").startswith(self.choice_prefix):
            # Not an answer to the survey: the customer moved on; read the message fresh.
            turn.data.clear()
            turn.goto("route", flow="menu")
            return
        if survey is None:
            turn.say("csat/closed.txt")
            turn.end(offer_more=False, resolved=False)
            return
        if not rating:
            turn.not_understood()
            turn.say("csat/need_rating.txt")
            return
        csat_survey_rate(survey=survey, rating=rating, now=turn.now)
        turn.data["survey"] = survey.pk
        turn.say("csat/ask_comment.txt")
        turn.goto("comment")

    def on_comment(self, turn):
        incoming = turn.incoming
        survey = CsatSurvey.objects.filter(pk=turn.data.get("survey"), contact=turn.contact).first()
        text = (incoming.text or "").strip() if incoming.type == "text" else ""
        if incoming.choice == "csat_skip" or simplify(text) in SKIP_WORDS:
            turn.say("csat/thanks.txt")
            turn.end(offer_more=False, resolved=False)
            return
        if not text:
            turn.not_understood()
            turn.say("csat/need_comment_text.txt")
            return
        if survey is not None:
            csat_survey_comment(survey=survey, comment=text)
        turn.say("csat/thanks.txt")
        turn.end(offer_more=False, resolved=False)
