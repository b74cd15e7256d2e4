"""Habeas Data through the bot: reading the policy, and each right (conocer, actualizar,
rectificar, suprimir, revocar, completing a reclamo) filed as an effect, with or without
consent."""

from datetime import timedelta

import pytest

from consent.models import DataRightsRequest
from conversations.bot import effects
from conversations.messaging.replies import render
from tests.bot.conftest import ANA, ASKED_ANYTHING_ELSE, NOW, STRANGER

MENU = "privacy/menu.txt"
MORE = "menu/anything_else.txt"
DETAIL = "Quiero que eliminen mi correo personal y mi teléfono fijo"


@pytest.fixture
def ana(chat, portfolio):
    ana = chat()
    said = ana.says("privacidad")
    assert said.sequence == [MENU] and said.at == ("privacidad", "choose")
    return ana


@pytest.mark.parametrize("answer", ["[privacy_read]", "1", "Leer la política", "la pti"])
def test_the_policy_can_be_read(ana, policy, answer):
    said = ana.answers(answer)

    assert said.sequence == ["privacy/policy.txt", MORE]
    assert said.context("privacy/policy.txt") == {"policy": policy}
    assert said.effects == [] and said.at == ASKED_ANYTHING_ELSE


def test_conocer_files_a_consulta_for_the_customer_of_this_phone(ana):
    said = ana.taps("privacy_conocer")

    assert said.sequence == [effects.RightsRequestOpen(kind="conocer", detail="", customer_id=ANA.customer().pk), MORE]
    assert said.effects[0].reply == "privacy/received.txt"
    assert not DataRightsRequest.objects.exists()


def test_conocer_from_an_unknown_phone_files_it_for_nobody_in_particular(chat, portfolio):
    stranger = chat(STRANGER)
    stranger.says("privacidad")

    said = stranger.taps("privacy_conocer")

    assert said.effects == [effects.RightsRequestOpen(kind="conocer", detail="", customer_id=None)]


def test_conocer_from_a_validated_chat_files_it_for_the_validated_customer(chat, portfolio):
    stranger = chat(STRANGER).validated_as(ANA.customer())
    stranger.says("privacidad")

    said = stranger.taps("privacy_conocer")

    assert said.effects == [effects.RightsRequestOpen(kind="conocer", detail="", customer_id=ANA.customer().pk)]


@pytest.mark.parametrize(
    "answer, kind",
    [
        ("[privacy_actualizar]", "actualizar"),
        ("corregir", "rectificar"),
        ("Suprimir mis datos", "suprimir"),
        ("5", "suprimir"),
        ("hay un error en mi dirección", "rectificar"),
    ],
)
def test_a_reclamo_asks_what_to_change_then_is_filed(ana, answer, kind):
    said = ana.answers(answer)
    assert said.sequence == ["privacy/describe.txt"]
    assert said.context("privacy/describe.txt") == {"kind": kind}
    assert said.at == ("privacidad", "describe") and said.effects == []

    said = ana.says(f"  {DETAIL}  ")

    assert said.sequence == [effects.RightsRequestOpen(kind=kind, detail=DETAIL, customer_id=ANA.customer().pk), MORE]
    assert said.at == ASKED_ANYTHING_ELSE


def test_a_reclamo_without_detail_is_asked_again(ana):
    ana.taps("privacy_suprimir")

    said = ana.says("borrar")

    assert said.sequence == ["privacy/describe_again.txt"]
    assert said.context("privacy/describe_again.txt") == {"kind": "suprimir"}
    assert said.effects == [] and said.session.misunderstandings == 1


@pytest.mark.parametrize("typed", ["no sé", "borrar o corregir"])
def test_an_unclear_or_double_choice_is_not_understood(ana, typed):
    said = ana.says(typed)

    assert said.sequence == ["privacy/not_understood.txt"]
    assert said.at == ("privacidad", "choose")


def test_free_text_naming_a_right_at_the_menu_goes_straight_to_it(chat, portfolio):
    ana = chat()
    ana.says("hola")

    said = ana.says("quiero borrar mis datos")

    assert said.sequence == ["privacy/describe.txt"]
    assert said.data == {"kind": "suprimir"}


def test_free_text_naming_a_right_without_consent_goes_straight_to_it(chat):
    said = chat(consented=False).says("quiero borrar mis datos")

    assert said.sequence == ["privacy/describe.txt"]
    assert said.data == {"kind": "suprimir"}


def test_free_text_naming_a_right_in_an_idle_chat_goes_straight_to_it(chat, portfolio):
    # Idle: no flow, as after any finished flow, "cancelar" or idle expiry.
    said = chat().says("quiero borrar mis datos")

    assert said.sequence == ["privacy/describe.txt"]


def test_a_question_about_our_data_shows_the_menu_rather_than_filing(chat):
    ana = chat()
    ana.says("hola")

    said = ana.says("¿qué datos tienen de mí?")

    assert said.sequence == [MENU] and said.effects == []


# --- Revocation ----------------------------------------------------------------------------------


def test_revoking_asks_for_confirmation_with_what_it_means(ana):
    said = ana.taps("privacy_revocar")

    assert said.sequence == ["privacy/revoke_confirm.txt"]
    assert said.at == ("privacidad", "revoke")
    assert said.data == {"shown": render("privacy/revoke_confirm.txt").preview}


@pytest.mark.parametrize("answer", ["[privacy_revoke_yes]", "Sí, revocar", "confirmo"])
def test_a_confirmed_revocation_is_an_effect_and_forgets_the_validation(chat, portfolio, answer):
    ana = chat().validated_as(ANA.customer())
    ana.says("privacidad")
    ana.taps("privacy_revocar")

    said = ana.answers(answer)

    assert said.sequence == [
        effects.ConsentRevoke(
            text_shown=render("privacy/revoke_confirm.txt").preview,
            answered_at=NOW,
            customer_id=ANA.customer().pk,
        )
    ]
    assert said.effects[0].reply == "privacy/revoked.txt"
    assert said.session.validated_customer_id is None and said.session.validated_until is None
    assert said.at == ("", "") and said.data == {}


@pytest.mark.parametrize("answer", ["[privacy_revoke_no]", "No, mantenerla"])
def test_keeping_the_authorisation_changes_nothing(ana, answer):
    ana.taps("privacy_revocar")

    said = ana.answers(answer)

    assert said.sequence == ["privacy/revoke_kept.txt", MORE]
    assert said.effects == []


def test_an_unclear_answer_to_the_revocation_is_asked_again(ana):
    ana.taps("privacy_revocar")

    said = ana.says("¿qué pasa con mi crédito?")

    assert said.sequence == ["privacy/revoke_again.txt"]
    assert said.at == ("privacidad", "revoke")


@pytest.mark.parametrize("answer", [None, "declined"])
def test_nothing_to_revoke_without_an_acceptance(chat, policy, answer):
    person = chat(consented=False)
    if answer:
        person.consents(policy, answer=answer)
    person.says("privacidad")

    said = person.taps("privacy_revocar")

    assert said.sequence == ["privacy/revoke_none.txt"]
    assert said.effects == [] and said.at == ("", "")


# --- A reclamo waiting for information -----------------------------------------------------------


@pytest.fixture
def needs_info(chat):
    ana = chat()
    request = DataRightsRequest.objects.create(
        contact=ana.contact,
        kind="actualizar",
        category="reclamo",
        status="needs_info",
        due_date=NOW.date() + timedelta(days=20),
        original_due_date=NOW.date() + timedelta(days=20),
        needs_info_since=NOW - timedelta(days=1),
        info_requested="¿Cuál es tu nueva dirección completa?",
    )
    return ana, request


def test_a_reclamo_waiting_for_information_asks_for_it_first(needs_info):
    ana, request = needs_info

    said = ana.says("privacidad")

    assert said.sequence == ["privacy/complete_ask.txt"]
    assert said.context("privacy/complete_ask.txt") == {"request": request}
    assert said.at == ("privacidad", "complete") and said.data == {"request_id": request.pk}


def test_the_missing_information_completes_the_reclamo_as_an_effect(needs_info):
    ana, request = needs_info
    ana.says("privacidad")

    said = ana.says("Carrera 45 # 12-30, Medellín")

    assert said.sequence == [
        effects.RightsRequestComplete(request_id=request.pk, detail="Carrera 45 # 12-30, Medellín"),
        MORE,
    ]
    assert said.effects[0].reply == "privacy/completed.txt"
    request.refresh_from_db()
    assert request.status == "needs_info"  # the worker applies it


def test_too_little_information_is_asked_again(needs_info):
    ana, _ = needs_info
    ana.says("privacidad")

    said = ana.says("Carrera 45")

    assert said.sequence == ["privacy/complete_ask.txt"]
    assert said.effects == [] and said.session.misunderstandings == 1


def test_a_reclamo_closed_meanwhile_shows_the_menu(needs_info):
    ana, request = needs_info
    ana.says("privacidad")
    DataRightsRequest.objects.filter(pk=request.pk).update(status="withdrawn")

    said = ana.says("Carrera 45 # 12-30, Medellín")

    assert said.sequence == [MENU]
    assert said.effects == [] and said.at == ("privacidad", "choose")
