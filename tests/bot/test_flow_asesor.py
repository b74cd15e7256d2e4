"""The advisor flow: every way into it hands the chat to a person (the worker opens the
ticket and says what happens next), with the reason that sets the ticket's priority."""

import pytest

from conversations.bot import effects


def test_asking_for_an_advisor_from_the_menu_escalates_as_asked_human(chat):
    ana = chat()
    ana.says("hola")

    said = ana.taps("asesor")

    assert said.outcome.replies == []
    assert (said.escalation.reason, said.escalation.priority, said.escalation.details) == ("asked_human", None, {})
    assert said.at == ("", "") and said.resolved_flow is None


def test_a_typed_menu_number_for_the_advisor_escalates_too(chat):
    ana = chat()
    ana.says("hola")

    assert ana.says("6").escalation.reason == "asked_human"


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("tengo una queja", "complaint"),
        ("quiero poner una queja, me robaron la cédula", "fraud"),
        ("quiero poner una queja, no reconozco un descuento", "fraud"),
    ],
)
def test_a_complaint_from_the_menu_is_escalated_with_its_reason(chat, typed, reason):
    ana = chat()
    ana.says("hola")

    said = ana.says(typed)

    assert said.outcome.replies == []
    assert said.escalation.reason == reason
    assert said.at == ("", "")


def test_a_fraud_report_typed_into_an_idle_chat_is_escalated_as_fraud(chat):
    # The chat is idle (no flow) after any flow ends, "cancelar", or idle expiry.
    said = chat().says("quiero poner una queja, me robaron la cédula")

    assert said.escalation.reason == "fraud"


def test_a_complaint_typed_into_an_idle_chat_is_escalated(chat):
    said = chat().says("tengo una queja")

    assert said.escalation.reason == "complaint"
    assert said.outcome.replies == [] and said.at == ("", "")


def test_menu_while_held_offers_to_return_and_ends_quietly(chat):
    said = chat().says("menu", advisor_holds_chat=True)

    assert said.sequence == ["escalations/offer_return.txt"]
    assert said.escalation is None and said.resolved_flow is None


def test_returning_to_the_bot_releases_the_ticket_before_the_menu(chat):
    ana = chat()
    ana.says("menu", advisor_holds_chat=True)

    said = ana.taps("volver_al_bot", advisor_holds_chat=True)

    assert said.sequence == [effects.TicketRelease(), "menu/main.txt"]
    assert said.context("menu/main.txt") == {"name": "Ana", "greet": False}
    assert said.at == ("menu", "choose")


def test_staying_with_the_advisor_says_so_and_releases_nothing(chat):
    ana = chat()
    ana.says("menu", advisor_holds_chat=True)

    said = ana.taps("seguir_asesor", advisor_holds_chat=True)

    assert said.sequence == ["escalations/stay_with_advisor.txt"]
    assert said.at == ("", "")
