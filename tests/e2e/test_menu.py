"""The main menu: by tap, by number, by free text; global words; expiry; odd messages."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from conversations.models import ConversationSession, InboundMessage
from proalto.colombia import BOGOTA
from tests.portfolio import study_moved_recently
from tests.support import texts


@pytest.fixture
def portfolio(portfolio):
    study_moved_recently()
    return portfolio


ASKS_CEDULA = "Para proteger tu información, primero necesito confirmar que eres el titular. 🔒"
# Where each service ends up once Ana (demo customer 1) has confirmed her identity.
SALDO = "Este es el estado de tu crédito:\n\n💳 *Crédito LIB-000123* — Colpensiones\n• Saldo pendiente: *$8.250.000*"
PAZ_Y_SALVO = "Todavía no puedo expedir tu paz y salvo porque tienes un crédito con saldo pendiente"
ESTADO = "Tu solicitud de crédito *SOL-2026-0042* está en etapa de *estudio*"


def validated(ana) -> str:
    """Ana answers the identity questions; returns what the bot said after them."""
    ana.says("1020304050")
    body = texts(ana.says("10/05/1979"))
    assert body.startswith("¡Listo, Ana! Confirmé tu identidad. ✅\n")
    return body


def test_menu_row_tap_starts_the_service(consented_chat, portfolio):
    ana = consented_chat()
    replies = ana.taps("saldo")
    assert texts(replies).startswith(ASKS_CEDULA)
    session = ConversationSession.objects.get(contact__wa_id=ana.wa_id)
    assert (session.flow, session.step) == ("identidad", "cedula")
    assert SALDO in validated(ana)
    assert set(ana.offered()) == {"menu", "despedida"}


@pytest.mark.parametrize("typed", ["1", "opción 1", "1."])
def test_menu_number_starts_the_service(consented_chat, portfolio, typed):
    ana = consented_chat()
    assert texts(ana.says(typed)).startswith(ASKS_CEDULA)
    assert SALDO in validated(ana)  # option 1 is the balance


@pytest.mark.parametrize(
    "typed, after_validation, offered",
    [
        ("quiero saber cuanto debo", SALDO, {"menu", "despedida"}),
        ("ya pague todo y necesito el paz y salvo", PAZ_Y_SALVO, {"saldo_detalle", "no_gracias"}),
        ("en q va mi solicitud", ESTADO, {"notify_yes", "notify_no"}),
    ],
)
def test_free_text_is_understood(consented_chat, portfolio, typed, after_validation, offered):
    ana = consented_chat()
    assert texts(ana.says(typed)).startswith(ASKS_CEDULA)
    assert after_validation in validated(ana)
    assert set(ana.offered()) == offered


def test_free_text_for_a_new_credit_needs_no_identity(consented_chat):
    ana = consented_chat()
    body = texts(ana.says("quiero un credito nuevo"))
    assert body.startswith("¡Qué bueno que quieras un crédito con ProAlto! 🙌")
    session = ConversationSession.objects.get(contact__wa_id=ana.wa_id)
    assert (session.flow, session.step) == ("nuevo_credito", "documents")


def test_greeting_shows_the_menu_again(consented_chat):
    ana = consented_chat()
    replies = ana.says("buenas tardes")
    assert "saldo" in ana.offered()
    assert "¿En qué te puedo ayudar?" in texts(replies)  # greeted once per session: no second "Soy el Asistente"


def test_global_words_work_in_the_middle_of_a_flow(consented_chat):
    ana = consented_chat()
    ana.taps("saldo")
    replies = ana.says("cancelar")
    assert "cancelé" in texts(replies)
    session = ConversationSession.objects.get(contact__wa_id=ana.wa_id)
    assert session.flow == "" and session.data == {}

    ana.taps_after_menu = None
    ana.says("1")
    replies = ana.says("Menú")
    assert "saldo" in ana.offered()
    assert ConversationSession.objects.get(contact__wa_id=ana.wa_id).flow == "menu"


def test_cancel_with_nothing_in_progress(consented_chat):
    ana = consented_chat()
    ana.says("chao")  # ends politely
    replies = ana.says("salir")
    assert "ningún trámite" in texts(replies)


def test_idle_session_expires_and_starts_fresh(consented_chat, settings):
    ana = consented_chat()
    ana.taps("saldo")
    ana.says("1020304050")
    session = ConversationSession.objects.get(contact__wa_id=ana.wa_id)
    assert session.data  # the flow collected something
    session.last_activity = timezone.now() - timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)
    session.save()

    replies = ana.says("10/05/1979")
    body = texts(replies)
    assert "sin actividad" in body
    session.refresh_from_db()
    # Never in the middle of the old flow, and nothing it collected is kept.
    assert "1020304050" not in str(session.data)
    assert (session.flow, session.step, session.data) == ("menu", "choose", {})
    assert body.startswith("¡Hola de nuevo! Como pasó un rato sin actividad, cerré la conversación anterior")


@pytest.mark.parametrize("kind", ["audio", "sticker", "location", "reaction"])
def test_unsupported_message_types_are_stored_and_answered_politely(consented_chat, kind):
    ana = consented_chat()
    replies = ana.sends(kind)
    assert len(replies) == 1
    assert "menú" in texts(replies)
    message = InboundMessage.objects.get(contact__wa_id=ana.wa_id, type=kind)
    assert message.status == InboundMessage.Status.PROCESSED


def test_goodbye(consented_chat):
    # Farewells fit the hour in Bogotá: "buen día" is the morning's (it failed after noon).
    with time_machine.travel(datetime(2026, 11, 30, 10, 5, tzinfo=BOGOTA), tick=True):
        ana = consented_chat()
        replies = ana.says("gracias, eso es todo")
    assert "buen día" in texts(replies)
