"""Escalation to a human (brief 2.2): the three triggers, the ticket, and a quiet bot."""

from datetime import datetime

import pytest

from conversations.models import ConversationSession
from escalations.models import Ticket
from escalations.services import ticket_close, ticket_take
from proalto.colombia import BOGOTA
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


# Advisors' hours as configured below: Monday to Friday 8:00-18:00, Saturday 8:00-12:00, closed
# on Sundays and holidays. Each moment is Bogotá time; 11 January 2027 is a holiday (Reyes).
OPEN_NOW = "Un asesor te escribirá por este mismo chat en breve."
LATER_TODAY = "Nuestros asesores atienden a partir de las 8:00 a. m. de hoy; a esa hora te escribiremos por este chat."


def closed_until(day: str) -> str:
    return (
        "En este momento nuestros asesores no están disponibles. "
        f"Te escribiremos por este chat el {day} desde las 8:00 a. m."
    )


@pytest.mark.parametrize(
    "moment, expected",
    [
        pytest.param(datetime(2027, 1, 16, 9, 30, tzinfo=BOGOTA), OPEN_NOW, id="saturday-09:30"),
        pytest.param(
            datetime(2027, 1, 16, 12, 0, tzinfo=BOGOTA), closed_until("18 de enero de 2027"), id="saturday-12:00"
        ),
        pytest.param(
            datetime(2027, 1, 11, 23, 0, tzinfo=BOGOTA), closed_until("12 de enero de 2027"), id="holiday-23:00"
        ),
        pytest.param(
            datetime(2027, 1, 11, 10, 0, tzinfo=BOGOTA), closed_until("12 de enero de 2027"), id="holiday-10:00"
        ),
        pytest.param(datetime(2027, 1, 12, 7, 59, tzinfo=BOGOTA), LATER_TODAY, id="weekday-07:59"),
        pytest.param(datetime(2027, 1, 12, 8, 0, 30, tzinfo=BOGOTA), OPEN_NOW, id="weekday-08:00"),
        pytest.param(datetime(2027, 1, 12, 17, 59, tzinfo=BOGOTA), OPEN_NOW, id="weekday-17:59"),
        pytest.param(
            datetime(2027, 1, 12, 19, 1, tzinfo=BOGOTA), closed_until("13 de enero de 2027"), id="weekday-19:01"
        ),
    ],
    indirect=["moment"],
)
def test_the_ticket_says_when_advisors_will_answer(moment, consented_chat, settings, expected):
    settings.ADVISOR_HOURS_WEEKDAY = "08:00-18:00"
    settings.ADVISOR_HOURS_SATURDAY = "08:00-12:00"
    ana = consented_chat()
    body = texts(ana.says("asesor"))
    ticket = Ticket.objects.get(contact__wa_id=ana.wa_id)
    assert body.split("\n") == [
        f"Con gusto te comunico con un asesor. Tu caso es el #{ticket.pk}.",
        expected,
        "Eres el siguiente en la fila de atención.",
    ]


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
