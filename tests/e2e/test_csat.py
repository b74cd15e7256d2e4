"""Satisfaction surveys from the customer's side: after a resolved request or a closed ticket
the bot asks for a 1-5 rating and an optional comment, at most once a day."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from conversations.bot.csat import csat_surveys_send_due
from conversations.bot.flows.base import Incoming
from conversations.bot.flows.csat import parse_rating
from conversations.bot.signals import flow_resolved
from conversations.models import Contact, ConversationSession, CsatSurvey, ResolvedRequest
from escalations.models import Ticket
from escalations.services import ticket_close, ticket_take
from tests.support import texts

RATING_IDS = ["csat_1", "csat_2", "csat_3", "csat_4", "csat_5"]


@pytest.fixture(autouse=True)
def _ask_at_once(settings):
    settings.CSAT_DELAY_SECONDS = 0


def bot_resolves_request(user, flow="saldo"):
    """What a flow does when it answered the customer's request (the engine sends the signal)."""
    contact = Contact.objects.get(wa_id=user.wa_id)
    with transaction.atomic():
        flow_resolved.send(sender=None, contact=contact, flow=flow, message=contact.inbound.order_by("-id").first())
    return user.replies()


def test_resolved_request_asks_rating_then_comment(consented_chat):
    ana = consented_chat()
    replies = bot_resolves_request(ana)
    assert "¿Cómo calificarías la atención" in texts(replies)
    assert list(ana.offered()) == RATING_IDS
    assert ResolvedRequest.objects.filter(flow="saldo").count() == 1

    replies = ana.taps("csat_4")
    assert "¿Quieres contarnos algo más" in texts(replies)
    assert list(ana.offered()) == ["csat_skip"]

    replies = ana.says("Muy rápido, gracias")
    assert "Gracias! Tu opinión nos ayuda" in texts(replies)
    survey = CsatSurvey.objects.get()
    assert (survey.rating, survey.comment, survey.status, survey.trigger, survey.flow) == (
        4,
        "Muy rápido, gracias",
        "answered",
        "flow",
        "saldo",
    )
    assert ConversationSession.objects.get(contact__wa_id=ana.wa_id).flow == ""

    # Back to normal: a typed "4" is menu option 4 again, not a rating.
    ana.says("hola")
    assert CsatSurvey.objects.get().rating == 4


def test_typed_rating_and_skipped_comment(consented_chat):
    ana = consented_chat()
    bot_resolves_request(ana)
    replies = ana.says("5")
    assert "¿Quieres contarnos algo más" in texts(replies)
    replies = ana.taps("csat_skip")
    assert "Tu opinión nos ayuda" in texts(replies)
    survey = CsatSurvey.objects.get()
    assert (survey.rating, survey.comment) == (5, "")


def test_typed_out_of_range_is_asked_again(consented_chat):
    ana = consented_chat()
    bot_resolves_request(ana)
    replies = ana.says("9")
    assert "un número del 1 al 5" in texts(replies)
    assert list(ana.offered()) == RATING_IDS
    ana.says("cuatro")
    assert CsatSurvey.objects.get().rating == 4


def test_ignoring_the_survey_the_message_is_read_normally(consented_chat):
    ana = consented_chat()
    bot_resolves_request(ana)
    replies = ana.says("hola")
    assert "¿En qué te puedo ayudar?" in texts(replies)  # the menu (greeted once per session)
    survey = CsatSurvey.objects.get()
    assert survey.rating is None and survey.status == "asked"


def test_a_later_tap_on_the_question_still_counts(consented_chat):
    ana = consented_chat()
    bot_resolves_request(ana)
    ana.says("menú")  # the chat moves on: the session is at the menu now
    ana._send("list_reply", interactive={"type": "list_reply", "list_reply": {"id": "csat_2", "title": "2 ⭐⭐"}})
    replies = ana.replies()
    assert "¿Quieres contarnos algo más" in texts(replies)
    assert CsatSurvey.objects.get().rating == 2


def test_not_asked_twice_within_a_day(consented_chat):
    ana = consented_chat()
    bot_resolves_request(ana)
    ana.taps("csat_3")
    ana.taps("csat_skip")
    assert bot_resolves_request(ana, flow="paz_y_salvo") == []
    assert CsatSurvey.objects.count() == 1
    assert ResolvedRequest.objects.count() == 2  # still counted for the metrics


def test_closed_ticket_asks_about_the_advisor(consented_chat, django_user_model):
    carlos = consented_chat("573009876543", "Carlos")
    carlos.says("asesor")
    ticket = Ticket.objects.get(contact__wa_id=carlos.wa_id)
    advisor = get_user_model().objects.create_user("asesora", password="x" * 16, is_staff=True)
    ticket_take(ticket=ticket, user=advisor)
    carlos.replies()

    ticket_close(ticket=ticket, by=advisor)
    replies = carlos.replies()
    assert "Tu conversación con el asesor terminó" in texts(replies[:1])
    assert "quedó cerrado" in texts(replies[1:]) and "¿Cómo calificarías" in texts(replies[1:])
    carlos.taps("csat_5")
    carlos.says("El asesor fue muy amable")
    survey = CsatSurvey.objects.get()
    assert (survey.trigger, survey.ticket_id, survey.rating, survey.comment) == (
        "ticket",
        ticket.pk,
        5,
        "El asesor fue muy amable",
    )


def test_ticket_closed_unattended_asks_nothing(consented_chat):
    carlos = consented_chat("573009876543", "Carlos")
    carlos.says("asesor")
    carlos.replies()
    ticket_close(ticket=Ticket.objects.get(), by=None)
    assert "¿Cómo calificarías" not in texts(carlos.replies())
    assert not CsatSurvey.objects.exists()


def test_with_a_delay_the_question_waits_for_an_idle_customer(consented_chat, settings):
    settings.CSAT_DELAY_SECONDS = 60
    ana = consented_chat()
    assert bot_resolves_request(ana) == []
    survey = CsatSurvey.objects.get()
    assert survey.status == "scheduled"

    assert csat_surveys_send_due(now=timezone.now() + timedelta(seconds=30)) == 0  # not due yet
    session = ConversationSession.objects.get(contact__wa_id=ana.wa_id)
    session.flow, session.step = "saldo", "ask_cedula"  # in the middle of something
    session.save()
    assert csat_surveys_send_due(now=timezone.now() + timedelta(seconds=90)) == 0
    session.flow, session.step = "", ""
    session.save()
    assert csat_surveys_send_due(now=timezone.now() + timedelta(seconds=90)) == 1
    assert "¿Cómo calificarías" in texts(ana.replies())
    assert csat_surveys_send_due(now=timezone.now() + timedelta(seconds=120)) == 0


def test_stale_survey_expires_unasked(consented_chat, settings):
    settings.CSAT_DELAY_SECONDS = 60
    ana = consented_chat()
    bot_resolves_request(ana)
    assert csat_surveys_send_due(now=timezone.now() + timedelta(hours=3)) == 0
    assert CsatSurvey.objects.get().status == "expired"
    assert ana.replies() == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4", 4),
        ("4 estrellas", 4),
        ("cinco", 5),
        ("⭐⭐⭐", 3),
        ("0", 0),
        ("10", 0),
        ("quiero mi saldo", None),
        ("", None),
    ],
)
def test_parse_rating(text, expected):
    assert parse_rating(Incoming(message_id=1, wa_message_id="w", type="text", text=text)) == expected
