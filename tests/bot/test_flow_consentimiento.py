"""The data-processing authorisation (Ley 1581): only an express "Acepto" is consent, the
exact text shown travels with the answer, and declining is respected."""

from datetime import timedelta

import pytest

from consent.models import PolicyVersion
from conversations.bot import effects
from conversations.messaging.replies import render
from tests.bot.conftest import NOW

ASK = "consent/ask.txt"


def asked(chat):
    ana = chat(consented=False)
    ana.says("hola")
    return ana


def test_the_question_shows_the_policy_in_force_and_keeps_the_text_shown(chat, policy):
    said = chat(consented=False).says("hola")

    assert said.sequence == [ASK]
    assert said.context(ASK) == {"policy": policy, "updated": False}
    assert set(said.options) == {"consent_accept", "consent_decline"}
    assert said.data == {"policy_id": policy.pk, "shown": render(ASK, {"policy": policy, "updated": False}).preview}
    assert "[Acepto]" in said.data["shown"]
    assert policy.consent_text in said.text and policy.policy_url in said.text


def test_tapping_acepto_records_the_consent_and_opens_the_menu(chat, policy):
    ana = asked(chat)
    shown = ana.session.data["shown"]

    said = ana.taps("consent_accept")

    assert said.sequence == [
        effects.ConsentRecord(policy_id=policy.pk, text_shown=shown, answer="accepted", answered_at=NOW),
        "consent/accepted.txt",
        "menu/main.txt",
    ]
    assert said.at == ("menu", "choose")


@pytest.mark.parametrize(
    "typed", ["Acepto", "sí", "Si acepto", "Sí, acepto la política de privacidad", "autorizo el tratamiento"]
)
def test_a_typed_express_acceptance_is_consent(chat, typed):
    said = asked(chat).says(typed)

    [record] = said.effects_of(effects.ConsentRecord)
    assert record.answer == "accepted"
    assert said.effects == [record]


@pytest.mark.parametrize("typed", ["No acepto", "no", "rechazo", "no autorizo que usen mis datos"])
def test_declining_is_recorded_and_respected(chat, policy, typed):
    ana = asked(chat)
    shown = ana.session.data["shown"]

    said = ana.says(typed)

    assert said.sequence == [
        effects.ConsentRecord(policy_id=policy.pk, text_shown=shown, answer="declined", answered_at=NOW),
        "consent/declined.txt",
    ]
    assert said.at == ("consentimiento", "declined")


@pytest.mark.parametrize("typed", ["quizás", "ok", "acepto pero no", "saldo"])
def test_anything_else_is_not_an_answer(chat, typed):
    said = asked(chat).says(typed)

    assert said.sequence == ["consent/need_answer.txt"]
    assert said.at == ("consentimiento", "answer")


def test_a_tapped_menu_row_is_not_an_answer(chat):
    said = asked(chat).taps("saldo")

    assert said.sequence == ["consent/need_answer.txt"]


def test_the_policy_can_be_read_before_answering(chat):
    said = asked(chat).says("privacidad")

    assert said.sequence == ["privacy/menu.txt"]
    assert said.at == ("privacidad", "choose") and said.effects == []


def test_after_declining_the_question_can_be_reviewed(chat):
    ana = asked(chat)
    ana.says("no acepto")

    said = ana.taps("consent_review")

    assert said.sequence == [ASK] and said.at == ("consentimiento", "answer")


def test_after_declining_the_typed_review_button_asks_again(chat):
    ana = asked(chat)
    ana.says("no acepto")

    said = ana.says("Revisar de nuevo")

    assert said.sequence == [ASK] and said.effects == []


def test_after_declining_a_typed_acepto_asks_again_rather_than_recording(chat):
    ana = asked(chat)
    ana.says("no acepto")

    said = ana.says("acepto")

    assert said.sequence == [ASK] and said.at == ("consentimiento", "answer")


def test_after_declining_the_typed_advisor_button_hands_over(chat):
    ana = asked(chat)
    ana.says("no acepto")

    said = ana.says("Hablar con asesor")

    assert said.escalation.reason == "asked_human"
    assert said.outcome.replies == [] and said.at == ("", "")


def test_after_declining_anything_else_gets_a_reminder(chat):
    ana = asked(chat)
    ana.says("no acepto")

    said = ana.says("¿y entonces?")

    assert said.sequence == ["consent/declined_reminder.txt"]
    assert said.at == ("consentimiento", "declined")


def test_after_declining_the_privacy_rights_are_still_there(chat):
    ana = asked(chat)
    ana.says("no acepto")

    said = ana.says("quiero borrar mis datos")

    assert said.sequence == ["privacy/describe.txt"]
    assert said.at == ("privacidad", "describe") and said.data == {"kind": "suprimir"}


def test_an_answer_to_a_question_of_unknown_policy_is_asked_again_not_recorded(chat, policy):
    ana = chat(consented=False).at("consentimiento", "answer")  # the question's data was lost

    said = ana.taps("consent_accept")

    assert said.sequence == ["consent/need_answer.txt", ASK]
    assert said.context("consent/need_answer.txt") == {"policy": policy}
    assert said.at == ("consentimiento", "answer") and said.data["policy_id"] == policy.pk


def test_no_policy_in_force_means_no_question(chat):
    ana = chat(consented=False)
    PolicyVersion.objects.update(published_at=None)

    said = ana.says("hola")

    assert said.sequence == ["consent/unavailable.txt"]
    assert said.at == ("", "")


def test_a_new_version_is_asked_as_an_update_and_recorded_against_it(chat, policy):
    ana = chat()
    new = PolicyVersion.objects.create(
        version="2027.1",
        consent_text="Nuevo texto.",
        policy_url="https://www.proalto.com.co/pti-2027",
        published_at=policy.published_at + timedelta(days=1),
    )

    assert ana.says("hola").context(ASK) == {"policy": new, "updated": True}
    said = ana.taps("consent_accept")

    [record] = said.effects_of(effects.ConsentRecord)
    assert (record.policy_id, record.answer) == (new.pk, "accepted")
    assert record.text_shown.startswith("Actualizamos")


# --- the request that met the consent question, through a "No" ---------------------------------


def declined_after(chat, first: str):
    ana = chat(consented=False)
    ana.says(first)
    said = ana.says("no acepto")
    assert said.sequence[-1] == "consent/declined.txt"
    return ana


@pytest.mark.parametrize("review", ["[consent_review]", "Revisar de nuevo", "acepto"])
def test_the_first_request_survives_a_no_and_starts_after_a_later_acepto(chat, review):
    ana = declined_after(chat, "necesito el paz y salvo")
    asked_again = ana.answers(review)
    assert asked_again.sequence == [ASK] and asked_again.effects == []  # nothing processed yet

    said = ana.taps("consent_accept")

    assert said.context("consent/accepted.txt") == {"continuing": True}
    assert "menu/main.txt" not in said.templates
    assert said.at == ("identidad", "cedula") and said.data["_return"][0] == "paz_y_salvo"


def test_while_declined_the_request_is_not_acted_on(chat):
    ana = declined_after(chat, "quiero renovar mi crédito")

    said = ana.says("quiero renovar mi crédito")

    assert said.sequence == ["consent/declined_reminder.txt"] and said.at == ("consentimiento", "declined")


def test_a_request_first_made_after_the_no_is_the_one_continued(chat):
    ana = declined_after(chat, "hola")
    assert ana.says("quiero renovar mi crédito").sequence == ["consent/declined_reminder.txt"]
    ana.taps("consent_review")

    said = ana.taps("consent_accept")

    assert said.context("consent/accepted.txt") == {"continuing": True}
    assert said.data["_return"][0] == "renovacion"


def test_the_first_request_is_not_resurrected_after_the_session_expired(chat, settings):
    ana = declined_after(chat, "necesito el paz y salvo")
    ana.later(minutes=settings.SESSION_IDLE_MINUTES + 1)

    assert ana.says("acepto").templates == ["menu/expired.txt", ASK]
    said = ana.taps("consent_accept")

    assert said.context("consent/accepted.txt") == {"continuing": False}
    assert said.templates[-1] == "menu/main.txt" and said.at == ("menu", "choose")


# --- "No acepto" in the privacy menu, opened before the question ---------------------------------


def privacy_first(chat):
    ana = chat(consented=False)
    said = ana.says("¿qué hacen con mis datos personales?")
    assert said.sequence == ["privacy/menu.txt"] and said.at == ("privacidad", "choose")
    return ana


@pytest.mark.parametrize("typed", ["No acepto", "no autorizo", "no", "[consent_decline]"])
def test_no_acepto_in_the_privacy_menu_before_the_question_is_a_decline(chat, typed):
    ana = privacy_first(chat)

    said = ana.answers(typed)

    # What declining means, as after the question; nothing recorded (the question was never
    # shown, so there is no text the answer was given to) and nothing processed.
    assert said.sequence == ["consent/declined.txt"] and said.effects == []
    assert set(said.options) == {"asesor", "consent_review"}
    assert said.at == ("consentimiento", "declined") and said.outcome.unrecognised == []


def test_after_no_acepto_in_the_privacy_menu_the_question_can_be_reviewed_and_accepted(chat, policy):
    ana = privacy_first(chat)
    ana.says("no acepto")

    assert ana.taps("consent_review").sequence == [ASK]
    said = ana.taps("consent_accept")

    assert [record.answer for record in said.effects_of(effects.ConsentRecord)] == ["accepted"]


def test_no_autorizo_as_a_first_message_is_a_decline_not_a_revocation(chat):
    said = chat(consented=False).says("no autorizo el tratamiento de mis datos personales")

    assert said.sequence == ["consent/declined.txt"] and said.effects == []


def test_with_consent_no_autorizo_in_the_privacy_menu_still_revokes(chat):
    ana = chat()
    ana.says("privacidad")

    said = ana.says("no autorizo")

    assert said.sequence == ["privacy/revoke_confirm.txt"] and said.at == ("privacidad", "revoke")


def test_with_consent_a_bare_no_in_the_privacy_menu_is_not_a_decline(chat):
    ana = chat()
    ana.says("privacidad")

    assert ana.says("no").sequence == ["privacy/not_understood.txt"]


# --- the first request through "menú" after the "No" -------------------------------------------


@pytest.mark.parametrize("word", ["menú", "inicio", "[menu]"])
def test_the_first_request_survives_menu_after_a_no(chat, word):
    ana = declined_after(chat, "necesito el paz y salvo")

    asked_again = ana.answers(word)

    assert asked_again.sequence == [ASK] and asked_again.effects == []  # nothing processed
    assert asked_again.data["pending_flow"] == "paz_y_salvo"
    said = ana.taps("consent_accept")
    assert said.context("consent/accepted.txt") == {"continuing": True}
    assert said.at == ("identidad", "cedula") and said.data["_return"][0] == "paz_y_salvo"


def test_menu_at_the_question_itself_keeps_the_first_request(chat):
    ana = chat(consented=False)
    ana.says("quiero renovar mi crédito")

    assert ana.says("menú").data["pending_flow"] == "renovacion"
    assert ana.taps("consent_accept").data["_return"][0] == "renovacion"


def test_cancelar_after_a_no_forgets_the_first_request(chat):
    ana = declined_after(chat, "necesito el paz y salvo")

    assert "pending_flow" not in ana.says("cancelar").data
    said = ana.taps("consent_accept")

    assert said.context("consent/accepted.txt") == {"continuing": False}
    assert said.templates[-1] == "menu/main.txt"
