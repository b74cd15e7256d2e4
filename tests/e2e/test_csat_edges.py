"""Satisfaction surveys at their edges: a comment that never comes, a survey due while the
customer is with an advisor again or after they withdrew their consent, a survey already
closed when its old question is tapped."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from consent.models import ConsentRecord
from conversations.bot.csat import csat_surveys_send_due
from conversations.bot.signals import flow_resolved
from conversations.models import Contact, ConversationSession, CsatSurvey
from escalations.models import Ticket
from proalto.colombia import BOGOTA
from tests.support import texts

TUESDAY = datetime(2027, 1, 12, 10, 0, tzinfo=BOGOTA)


def resolved_by_the_bot(user) -> None:
    """What the engine signals when a flow answered the customer's request."""
    contact = Contact.objects.get(wa_id=user.wa_id)
    with transaction.atomic():
        flow_resolved.send(sender=None, contact=contact, flow="saldo", message=contact.inbound.order_by("-id").first())


@pytest.mark.parametrize("moment", [TUESDAY], indirect=True)
def test_a_comment_that_never_comes_leaves_the_rating_and_the_chat_starts_fresh(moment, consented_chat, settings):
    settings.CSAT_DELAY_SECONDS = 0
    ana = consented_chat()
    resolved_by_the_bot(ana)
    assert list(ana.offered())[0] == "csat_1"
    assert "¿Quieres contarnos algo más" in texts(ana.taps("csat_5"))

    # Ana goes quiet; she writes again the next day: that is not a comment.
    with time_machine.travel(TUESDAY + timedelta(days=1), tick=True):
        body = texts(ana.says("buenas tardes"))
    assert "Soy el Asistente Virtual de ProAlto" in body
    survey = CsatSurvey.objects.get()
    assert (survey.status, survey.rating, survey.comment) == (CsatSurvey.Status.ANSWERED, 5, "")
    session = ConversationSession.objects.get(contact__wa_id=ana.wa_id)
    assert (session.flow, session.data) == ("menu", {})


def scheduled_survey(ana, settings) -> CsatSurvey:
    settings.CSAT_DELAY_SECONDS = 60
    resolved_by_the_bot(ana)
    survey = CsatSurvey.objects.get()
    assert survey.status == CsatSurvey.Status.SCHEDULED
    return survey


def test_a_survey_due_while_the_customer_is_with_an_advisor_again_is_expired(consented_chat, settings):
    ana = consented_chat()
    survey = scheduled_survey(ana, settings)
    ana.says("quiero hablar con un asesor")
    assert Ticket.objects.filter(contact__wa_id=ana.wa_id, status=Ticket.Status.OPEN).exists()
    ana.replies()

    assert csat_surveys_send_due(now=timezone.now() + timedelta(seconds=90)) == 0
    survey.refresh_from_db()
    assert survey.status == CsatSurvey.Status.EXPIRED  # the ticket's close will ask instead
    assert ana.replies() == []


def test_a_survey_due_after_the_consent_was_revoked_is_expired(consented_chat, settings):
    ana = consented_chat()
    survey = scheduled_survey(ana, settings)
    ana.says("privacidad")
    ana.taps("privacy_revocar")
    ana.taps("privacy_revoke_yes")
    assert ConsentRecord.objects.filter(wa_id=ana.wa_id).latest("id").answer == ConsentRecord.Answer.REVOKED
    ana.replies()

    assert csat_surveys_send_due(now=timezone.now() + timedelta(seconds=90)) == 0
    survey.refresh_from_db()
    assert survey.status == CsatSurvey.Status.EXPIRED
    assert ana.replies() == []
