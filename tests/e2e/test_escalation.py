"""Escalation to a human (brief 2.2): the three triggers, the ticket, and a quiet bot."""

import pytest

from conversations.models import ConversationSession
from escalations.models import Ticket
from escalations.services import ticket_close, ticket_take
from tests.support import texts


@pytest.mark.parametrize(
    "typed",
    [
        "hablar con un asesor",
        "necesito ayuda humana",
        "necesito un agente",
        "asesor",
        "me pasa con una persona por favor",
    ],
)
def test_explicit_request_opens_a_ticket(consented_chat, typed):
    ana = consented_chat()
    replies = ana.says(typed)
    ticket = Ticket.objects.get(contact__wa_id=ana.wa_id)
    assert ticket.reason == Ticket.Reason.ASKED_HUMAN
    assert ticket.status == Ticket.Status.OPEN
    assert f"#{ticket.pk}" in texts(replies)
    # The advisor sees what was said before the escalation.
    assert any(typed in item["text"] for item in ticket.transcript)


def test_two_consecutive_misunderstandings_escalate(consented_chat):
    ana = consented_chat()
    first = ana.says("xyzzy plugh")
    assert "no te entendí" in texts(first)
    assert not Ticket.objects.exists()
    second = ana.says("qwerty asdf")
    ticket = Ticket.objects.get(contact__wa_id=ana.wa_id)
    assert ticket.reason == Ticket.Reason.MISUNDERSTOOD
    assert f"#{ticket.pk}" in texts(second)


def test_one_misunderstanding_then_understood_does_not_escalate(consented_chat):
    ana = consented_chat()
    ana.says("xyzzy plugh")
    ana.says("menu")
    ana.says("qwerty asdf")
    assert not Ticket.objects.exists()
    assert ConversationSession.objects.get(contact__wa_id=ana.wa_id).misunderstandings == 1


@pytest.mark.parametrize(
    "typed, reason, priority",
    [
        ("quiero poner una queja", Ticket.Reason.COMPLAINT, Ticket.Priority.HIGH),
        ("me robaron la cedula y alguien saco un credito", Ticket.Reason.FRAUD, Ticket.Priority.URGENT),
        ("no reconozco un descuento que me hicieron", Ticket.Reason.FRAUD, Ticket.Priority.URGENT),
    ],
)
def test_complaints_and_fraud_go_straight_to_a_human_with_priority(consented_chat, typed, reason, priority):
    ana = consented_chat()
    ana.says(typed)
    ticket = Ticket.objects.get(contact__wa_id=ana.wa_id)
    assert (ticket.reason, ticket.priority) == (reason, priority)


def test_out_of_hours_says_when_advisors_will_answer(consented_chat, settings):
    settings.ADVISOR_HOURS_WEEKDAY = ""
    settings.ADVISOR_HOURS_SATURDAY = "09:00-10:00"
    ana = consented_chat()
    replies = ana.says("asesor")
    assert "no están disponibles" in texts(replies) or "a partir de las" in texts(replies)


def test_bot_is_quiet_while_an_advisor_holds_the_chat(consented_chat, django_user_model):
    ana = consented_chat()
    ana.says("asesor")
    ticket = Ticket.objects.get(contact__wa_id=ana.wa_id)
    advisor = django_user_model.objects.create_user("asesora", password="x" * 16, is_staff=True)
    ticket_take(ticket=ticket, user=advisor)

    assert ana.says("hola, sigo esperando") == []
    assert ana.says("cuanto debo") == []

    replies = ana.says("menú")
    assert set(ana.offered()) == {"volver_al_bot", "seguir_asesor"}
    replies = ana.taps("seguir_asesor")
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.TAKEN

    ana.says("menú")
    replies = ana.taps("volver_al_bot")
    assert "¿En qué te puedo ayudar?" in texts(replies)  # the menu (greeted once per session)
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.CLOSED
    assert "saldo" in ana.offered()


def test_closing_the_ticket_returns_the_chat_to_the_bot(consented_chat, django_user_model):
    ana = consented_chat()
    ana.says("asesor")
    ticket = Ticket.objects.get(contact__wa_id=ana.wa_id)
    advisor = django_user_model.objects.create_user("asesor2", password="x" * 16, is_staff=True)
    ticket_take(ticket=ticket, user=advisor)
    ticket_close(ticket=ticket, by=advisor)
    closed_notice = ana.replies(wait=5, at_least=1)
    assert "terminó" in texts(closed_notice)
    replies = ana.says("hola")
    assert "¿En qué te puedo ayudar?" in texts(replies)  # the menu (greeted once per session)


def test_second_request_while_ticket_open_does_not_duplicate(consented_chat):
    ana = consented_chat()
    ana.says("asesor")
    replies = ana.says("necesito un asesor ya")
    assert Ticket.objects.filter(contact__wa_id=ana.wa_id).count() == 1
    assert "Ya tienes una solicitud abierta" in texts(replies)
