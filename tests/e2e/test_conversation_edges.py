"""Issue 15, tried as a customer after the first round: the answer typed to "¿Hay algo más en
lo que pueda ayudarte?", a change of mind said in so many words, help at the identity steps,
what is written while a case waits for an advisor, and messages that only acknowledge. All
through signed webhooks, replies read from the Cloud API stand-in, state from the database."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings

from conversations.models import ConversationSession, UnrecognisedMessage
from escalations.models import Ticket
from proalto.colombia import BOGOTA
from tests.support import texts

ANA = ("573001234567", "1020304050", "10/05/1979")  # demo customer 1: one active credit
CARLOS = ("573009876543", "79456123", "20/09/1973")  # demo customer 2: everything paid
# An hour the advisors work (Monday 10:00 in Bogotá), so the copy says "en breve".
OPEN_HOURS = datetime(2026, 11, 30, 10, 0, tzinfo=BOGOTA)


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


@pytest.fixture
def office_hours():
    with time_machine.travel(OPEN_HOURS, tick=True):
        yield


def session_of(user) -> ConversationSession:
    return ConversationSession.objects.get(contact__wa_id=user.wa_id)


def after_the_balance(consented_chat):
    phone, cedula, issued = ANA
    ana = consented_chat(phone, "Ana")
    ana.says("saldo")
    ana.says(cedula)
    assert "¿Hay algo más en lo que pueda ayudarte?" in texts(ana.says(issued))
    return ana


# --- "¿Hay algo más en lo que pueda ayudarte?" answered in words ---------------------------------


@pytest.mark.parametrize("typed", ["no", "No señor", "no gracias", "ninguna", "nada"])
def test_a_typed_no_to_anything_else_says_goodbye(consented_chat, portfolio, typed):
    ana = after_the_balance(consented_chat)

    body = texts(ana.says(typed))

    assert "¡Con gusto!" in body and "no te entendí" not in body.lower()
    assert (session_of(ana).flow, session_of(ana).step) == ("", "")
    assert not UnrecognisedMessage.objects.exists()


@pytest.mark.parametrize("typed", ["sí", "claro", "dale", "si por favor"])
def test_a_typed_yes_to_anything_else_shows_the_options_without_greeting_again(consented_chat, portfolio, typed):
    ana = after_the_balance(consented_chat)

    replies = ana.says(typed)

    body = texts(replies)
    assert "¿En qué te puedo ayudar?" in body and "Soy el Asistente" not in body and "Con gusto" not in body
    assert "saldo" in ana.offered()  # the menu's list, to tap
    assert (session_of(ana).flow, session_of(ana).step) == ("menu", "choose")


def test_a_request_typed_after_anything_else_is_followed_not_read_as_no(consented_chat, portfolio):
    ana = after_the_balance(consented_chat)

    body = texts(ana.says("no, ahora quiero saber cómo va mi solicitud"))

    assert "SOL-2026-0042" in body and "¡Con gusto!" not in body  # still validated: straight to it


def test_the_buttons_of_anything_else_still_work(consented_chat, portfolio):
    ana = after_the_balance(consented_chat)
    assert "¡Con gusto!" in texts(ana.taps("despedida"))
    ana.says("saldo")  # validated for the session: the balance and the question again
    assert "¿En qué te puedo ayudar?" in texts(ana.taps("menu"))


def test_anything_else_left_unanswered_does_not_say_the_session_expired(consented_chat, portfolio):
    ana = after_the_balance(consented_chat)
    session = session_of(ana)
    ConversationSession.objects.filter(pk=session.pk).update(validated_customer=None, validated_until=None)
    later = session.last_activity + timedelta(minutes=django_settings.SESSION_IDLE_MINUTES * 2)
    with time_machine.travel(later, tick=True):
        body = texts(ana.says("hola"))
    assert "sin actividad" not in body and "¿En qué te puedo ayudar" in body


# --- a change of mind in so many words --------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["me equivoqué, mejor quiero el paz y salvo", "espere, primero quiero el paz y salvo"],
)
def test_a_change_of_mind_at_the_cedula_step_is_followed(consented_chat, portfolio, typed):
    phone, cedula, issued = CARLOS
    carlos = consented_chat(phone, "Carlos")
    carlos.says("saldo")

    body = texts(carlos.says(typed))

    assert "No logré leer" not in body and "Listo, pasemos a *Paz y salvo*." in body
    session = session_of(carlos)
    assert (session.flow, session.data.get("_return")) == ("identidad", ["paz_y_salvo", "check"])
    carlos.says(cedula)
    assert "paz y salvo" in texts(carlos.says(issued)).lower()


def test_a_question_about_the_step_is_not_a_change_of_mind(consented_chat, portfolio):
    diana = consented_chat("573204445566", "Diana")  # demo customer 5: application in aprobación
    diana.says("estado de mi solicitud")
    diana.says("1032456789")
    assert "¿Quieres que te avise" in texts(diana.says("01/07/2003"))
    body = texts(diana.says("y eso cuánto se demora?"))  # about the application: stays
    assert session_of(diana).flow == "estado_solicitud", body


# --- help at the identity steps -------------------------------------------------------------------


def test_not_remembering_the_issue_date_gets_where_to_find_it_not_a_complaint(consented_chat, portfolio):
    phone, cedula, issued = ANA
    ana = consented_chat(phone, "Ana")
    ana.says("saldo")
    ana.says(cedula)

    body = texts(ana.says("no me acuerdo de la fecha de expedicion"))

    assert "Fecha y lugar de expedición" in body and "Lamento" not in body
    assert not Ticket.objects.exists()
    assert "asesor" in ana.offered()
    assert "$8.250.000" in texts(ana.says(issued))


def test_asking_why_the_cedula_is_needed_gets_an_answer_and_the_question_again(consented_chat, portfolio):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("paz y salvo")

    body = texts(ana.says("para que necesitan mi cedula?"))

    assert "confirmar que eres el titular" in body and "No logré leer" not in body
    assert "*número de cédula*" in body
    assert session_of(ana).misunderstandings == 0


# --- while a case waits for an advisor ------------------------------------------------------------


def test_details_written_while_a_case_waits_are_noted_for_the_advisor(consented_chat, portfolio, office_hours):
    luz = consented_chat("573101112233", "Luz")
    luz.says("quiero hablar con un asesor")
    ticket = Ticket.objects.get(contact__wa_id=luz.wa_id)

    noted = texts(luz.says("el crédito es el LIB-000201"))
    nothing_asked = texts(luz.says("ok"))
    unclear = texts(luz.says("es que el mes pasado fue distinto"))

    assert f"Lo agregué a tu caso #{ticket.pk}" in noted and "Qué bueno que quieras un crédito" not in noted
    assert f"caso #{ticket.pk} sigue en espera" in nothing_asked
    assert f"caso #{ticket.pk}" in unclear and "no te entendí" not in unclear.lower()
    assert Ticket.objects.filter(contact__wa_id=luz.wa_id).count() == 1
    assert session_of(luz).misunderstandings == 0 and not UnrecognisedMessage.objects.exists()


def test_a_clear_request_while_a_case_waits_is_served_by_the_bot(consented_chat, portfolio, office_hours):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("necesito hablar con una persona")

    body = texts(ana.says("mientras tanto quiero saber mi saldo"))

    assert "*número de cédula*" in body


def test_a_complaint_while_a_case_waits_raises_the_case(consented_chat, portfolio, office_hours):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("necesito hablar con una persona")

    body = texts(ana.says("alguien sacó un crédito a mi nombre"))

    ticket = Ticket.objects.get(contact__wa_id=ANA[0])
    assert "Ya tienes una solicitud abierta" in body and ticket.priority == Ticket.Priority.URGENT


# --- messages that only acknowledge ---------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ok", "jajaja", "👍", "🙏", "okis 😅"])
def test_an_acknowledgement_is_never_handed_to_an_advisor(consented_chat, typed):
    ana = consented_chat()
    for _ in range(3):
        body = texts(ana.says(typed))
        assert "no te entendí" not in body.lower() and "¿En qué te puedo ayudar?" in body
    assert not Ticket.objects.exists()
    assert not UnrecognisedMessage.objects.exists()


def test_two_unclear_messages_still_reach_a_person(consented_chat):
    ana = consented_chat()
    assert "no te entendí" in texts(ana.says("xyzzy plugh")).lower()
    assert "saldo" in ana.offered()  # the hint carries the menu's list
    body = texts(ana.says("qwerty asdf"))
    assert Ticket.objects.get(contact__wa_id=ana.wa_id).reason == Ticket.Reason.MISUNDERSTOOD, body


def test_acknowledgements_inside_a_step_are_asked_again_never_escalated(consented_chat):
    ana = consented_chat()
    ana.says("quiero que borren mis datos")
    for typed in ("si", "ok 👍", "gracias"):
        assert "qué datos quieres que eliminemos" in texts(ana.says(typed))
    assert not Ticket.objects.exists() and not UnrecognisedMessage.objects.exists()
    assert session_of(ana).flow == "privacidad"
