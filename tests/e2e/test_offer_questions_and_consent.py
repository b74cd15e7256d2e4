"""Issue 15, played as customers once more: a question about the renewal offer on screen is
answered from the offer (not taken as a change of topic); "no acepto" typed in the privacy
menu before answering the authorisation says what declining means; and the first request
survives "menú" after a "No". All through signed webhooks, replies read from the Cloud API
stand-in, state from the database."""

import pytest

from consent.models import ConsentRecord
from conversations.models import ConversationSession
from tests.support import texts

ANA = ("573001234567", "1020304050", "10/05/1979")  # demo customer 1
GLORIA = ("573007778899", "51876543", "10/02/1978")  # demo customer 7: renewal eligible


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def session_of(user) -> ConversationSession:
    return ConversationSession.objects.get(contact__wa_id=user.wa_id)


def at_renewal_offer(consented_chat):
    phone, cedula, issued = GLORIA
    gloria = consented_chat(phone, "Gloria")
    gloria.says("quiero renovar mi crédito")
    gloria.says(cedula)
    offer = texts(gloria.says(issued))
    assert "preaprobada" in offer
    return gloria, offer


def offer_line(offer: str, label: str) -> str:
    """The figure after ``label`` in the offer as the customer read it ("$1.234.567")."""
    [line] = [line for line in offer.splitlines() if label in line]
    return line.split(":", 1)[1].strip().strip("*")


# --- a question about the offer on screen -------------------------------------------------------


@pytest.mark.parametrize(
    "typed, label",
    [
        ("y la cuota cuánto me quedaría?", "Cuota mensual aproximada"),
        ("¿y eso a cuántos meses?", "Plazo"),
        ("¿cuánto me depositarían?", "Dinero adicional que recibirías"),
        ("y el monto total?", "Monto del nuevo crédito"),
        ("¿qué tasa de interés es?", "Tasa"),
    ],
)
def test_a_question_about_the_offer_is_answered_from_the_offer(consented_chat, portfolio, typed, label):
    gloria, offer = at_renewal_offer(consented_chat)

    body = texts(gloria.says(typed))

    figure = offer_line(offer, label).split(" efectiva")[0]
    assert figure in body  # the offer's own figure, as the offer said it
    assert "¿Quieres dejar" not in body and "No te entendí" not in body and "Saldo" not in body
    assert set(gloria.offered()) == {"renew_yes", "renew_no"}
    assert (session_of(gloria).flow, session_of(gloria).step) == ("renovacion", "confirm")
    # Still at the offer: "Sí, continuar" goes on with the renewal.
    assert "desprendibles" in texts(gloria.taps("renew_yes"))


def test_a_clear_request_for_another_service_at_the_offer_still_switches(consented_chat, portfolio):
    gloria, _ = at_renewal_offer(consented_chat)

    body = texts(gloria.says("mejor quiero el paz y salvo"))

    assert "¿Quieres dejar *Renovación* y pasar a *Paz y salvo*?" in body


# --- "no acepto" in the privacy menu opened before the authorisation ---------------------------


@pytest.mark.parametrize("typed", ["no acepto", "No autorizo", "no"])
def test_no_acepto_in_the_privacy_menu_before_consent_says_what_declining_means(chat, typed):
    ana = chat(ANA[0], "Ana")
    assert "Habeas Data" in texts(ana.says("qué hacen con mis datos personales?"))

    body = texts(ana.says(typed))

    assert "No te entendí" not in body
    assert "respetamos tu decisión" in body and "se borrarán" in body
    assert set(ana.offered()) == {"asesor", "consent_review"}
    assert not ConsentRecord.objects.filter(wa_id=ANA[0], answer=ConsentRecord.Answer.ACCEPTED).exists()
    # Reviewing it again shows the authorisation, and accepting then is consent.
    assert "¿Nos autorizas" in texts(ana.taps("consent_review"))
    assert "quedó registrada" in texts(ana.taps("consent_accept"))


# --- the first request survives "menú" after a "No" -------------------------------------------


@pytest.mark.parametrize("word", ["menú", "inicio"])
def test_the_first_request_survives_menu_after_a_no_and_continues_after_acepto(chat, portfolio, word):
    ana = chat(ANA[0], "Ana")
    ana.says("necesito el paz y salvo")
    assert "respetamos tu decisión" in texts(ana.taps("consent_decline"))

    asked = texts(ana.says(word))
    # Without consent "menú" asks for it again; nothing of the request is processed.
    assert "¿Nos autorizas" in asked and "cédula" not in asked

    body = texts(ana.taps("consent_accept"))

    assert "sigamos con lo que me pediste" in body and "número de cédula" in body
    assert session_of(ana).data["_return"][0] == "paz_y_salvo"


def test_cancelar_after_a_no_forgets_the_first_request(chat, portfolio):
    ana = chat(ANA[0], "Ana")
    ana.says("necesito el paz y salvo")
    ana.taps("consent_decline")
    ana.says("cancelar")

    body = texts(ana.taps("consent_accept"))

    assert "sigamos con lo que me pediste" not in body and "cédula" not in body
