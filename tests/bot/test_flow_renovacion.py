"""Renovación: after validation, the renewal rules; an eligible customer sees the
pre-approved offer, sends the desprendibles and is handed to an advisor ("renewal"); one who
is not is told which rule, kindly, and offered an advisor."""

import pytest

from tests.bot.conftest import ANA, ANDRES, ASKED_ANYTHING_ELSE, GLORIA, HECTOR, JORGE

OFFER = "renovacion/offer.txt"
NOT_ELIGIBLE = "renovacion/not_eligible.txt"
MORE = "menu/anything_else.txt"
GLORIA_OFFER = {
    "credit": "LIB-000150",
    "new_amount": "$24.000.000",
    "balance": "$8.400.000",
    "additional_amount": "$15.600.000",
    "installment": "$597.342",
    "term_months": 72,
    "monthly_rate": "0.018",
}


def validated(chat, demo):
    return chat(demo.wa_id, demo.name).validated_as(demo.customer())


@pytest.fixture
def gloria(chat, portfolio):
    gloria = validated(chat, GLORIA)
    said = gloria.says("quiero renovar mi crédito")
    assert said.sequence == [OFFER]
    return gloria


@pytest.fixture
def sending(gloria):
    said = gloria.taps("renew_yes")
    assert said.sequence == ["renovacion/ask_documents.txt"]
    assert said.context("renovacion/ask_documents.txt") == {"required": 2}
    assert said.at == ("renovacion", "documents") and said.data["documents"] == []
    return gloria


def test_without_validation_the_identity_is_asked_first(chat, portfolio):
    said = chat(GLORIA.wa_id).says("renovar mi crédito")

    assert said.sequence == ["identity/ask_cedula.txt"]
    assert said.data == {"_return": ["renovacion", "check"]}


def test_an_eligible_customer_sees_the_pre_approved_offer(chat, portfolio):
    said = validated(chat, GLORIA).says("renovar mi crédito")

    assert said.sequence == [OFFER]
    rates = {"monthly_rate_text": "1,8 %", "annual_rate_text": "23,87 %"}
    assert said.context(OFFER) == {"name": "Gloria"} | GLORIA_OFFER | rates
    assert set(said.options) == {"renew_yes", "renew_no"}
    assert said.at == ("renovacion", "confirm") and said.data == {"offer": GLORIA_OFFER}


@pytest.mark.parametrize("answer", ["[renew_no]", "no, gracias"])
def test_declining_the_offer_ends(gloria, answer):
    said = gloria.answers(answer)

    assert said.sequence == ["renovacion/declined.txt", MORE]
    assert said.escalation is None and said.at == ASKED_ANYTHING_ELSE


def test_an_unclear_answer_to_the_offer_is_asked_again(gloria):
    said = gloria.says("tal vez")

    assert said.sequence == ["renovacion/confirm_again.txt"]
    assert said.at == ("renovacion", "confirm")


OFFER_QUESTION = "renovacion/offer_question.txt"


@pytest.mark.parametrize(
    "typed, topic, figure",
    [
        ("y la cuota cuánto me quedaría?", "installment", "$597.342"),
        ("¿cuántas cuotas serían?", "term", "72 meses"),
        ("¿y eso a cuántos meses?", "term", "72 meses"),
        ("¿y la tasa?", "rate", "23,87 % efectiva anual"),
        ("cuál es el interés", "rate", "1,8 % mes vencida"),
        ("¿cuánto me depositarían?", "additional", "$15.600.000"),
        ("¿y cuánta plata me darían?", "additional", "$15.600.000"),
        ("¿de cuánto sería el monto?", "amount", "$24.000.000"),
        ("explícame bien la oferta", "offer", "Cuota mensual aproximada: *$597.342*"),
        ("quiero renovar mi crédito", "offer", "Plazo: 72 meses"),
    ],
)
def test_a_question_about_the_offer_is_answered_from_its_figures_and_the_offer_stays(gloria, typed, topic, figure):
    said = gloria.says(typed)

    assert said.sequence == [OFFER_QUESTION]
    rates = {"monthly_rate_text": "1,8 %", "annual_rate_text": "23,87 %"}
    assert said.context(OFFER_QUESTION) == {"topic": topic} | GLORIA_OFFER | rates
    assert figure in said.text and "sujeta a estudio" in said.text
    assert set(said.options) == {"renew_yes", "renew_no"}
    assert said.at == ("renovacion", "confirm") and said.data == {"offer": GLORIA_OFFER}
    assert said.escalation is None and said.outcome.unrecognised == []
    assert gloria.taps("renew_yes").at == ("renovacion", "documents")


def test_questions_about_the_offer_never_reach_an_advisor_as_misunderstandings(gloria):
    for typed in ("¿y la cuota?", "¿a cuántos meses?", "¿y la tasa?"):
        said = gloria.says(typed)
    assert said.sequence == [OFFER_QUESTION] and said.escalation is None


@pytest.mark.parametrize(
    "typed, target",
    [("cuánto debo", "saldo"), ("mejor quiero el paz y salvo", "paz_y_salvo")],
)
def test_a_clear_request_for_another_service_at_the_offer_is_not_a_question_about_it(gloria, typed, target):
    said = gloria.says(typed)

    assert said.sequence == ["menu/switch_confirm.txt"]
    assert said.at == ("cambio_tema", "ask") and said.data["_switch"]["target"] == target


def test_fraud_at_the_offer_is_fraud_not_a_question_about_the_money(gloria):
    said = gloria.says("me llamaron de ProAlto pidiendo plata")

    assert OFFER_QUESTION not in said.templates
    assert said.escalation.reason == "fraud"


def test_each_desprendible_is_counted_until_enough(sending):
    first = sending.sends_file(101)
    second = sending.sends_file(102, kind="image", mime_type="image/jpeg", filename="foto.jpg")

    assert first.context("renovacion/document_received.txt") == {"count": 1, "missing": 1, "allow_later": False}
    assert second.context("renovacion/document_received.txt") == {"count": 2, "missing": 0, "allow_later": False}
    assert "docs_done" in second.options
    assert second.data["documents"] == [101, 102]


def test_done_with_enough_desprendibles_hands_the_renewal_to_an_advisor(sending):
    sending.sends_file(101)
    sending.sends_file(102)

    said = sending.taps("docs_done")

    assert said.sequence == []  # one closing message: the ticket's (escalations/opened.txt)
    assert said.effects == []
    assert said.escalation.reason == "renewal"
    assert said.escalation.details == {"offer": GLORIA_OFFER, "documents": [101, 102]}
    assert said.at == ("", "") and said.resolved_flow == "renovacion"


def test_done_too_early_says_what_is_missing(sending):
    sending.sends_file(101)

    said = sending.says("listo")

    assert said.sequence == ["renovacion/documents_missing.txt"]
    assert said.context("renovacion/documents_missing.txt") == {"count": 1, "missing": 1, "allow_later": False}
    assert said.escalation is None and said.at == ("renovacion", "documents")


def test_a_refused_file_is_explained(sending):
    said = sending.sends_file(rejected="type", mime_type="application/zip", filename="x.zip")

    assert said.sequence == ["documents/rejected_type.txt"]
    assert said.data["documents"] == []


def test_later_is_not_an_option_for_a_renewal(sending):
    said = sending.says("después")

    assert said.sequence == ["renovacion/documents_reminder.txt"]
    assert said.session.misunderstandings == 1


@pytest.mark.parametrize(
    "demo, context",
    [
        (
            HECTOR,
            {
                "reason": "not_enough_paid",
                "credit": "LIB-000402",
                "paid": 3,
                "total": 72,
                "min_percent": "50",
                "missing": 33,
            },
        ),
        (
            ANA,
            {
                "reason": "not_enough_paid",
                "credit": "LIB-000123",
                "paid": 27,
                "total": 60,
                "min_percent": "50",
                "missing": 3,
            },
        ),
        (JORGE, {"reason": "arrears"}),
        (ANDRES, {"reason": "no_active_credit"}),
    ],
)
def test_not_eligible_says_which_rule_and_offers_an_advisor(chat, portfolio, demo, context):
    said = validated(chat, demo).says("renovar mi crédito")

    assert said.sequence == [NOT_ELIGIBLE]
    assert said.context(NOT_ELIGIBLE) == context
    assert set(said.options) == {"asesor", "renew_advisor_no"}
    assert said.at == ("renovacion", "advisor")


@pytest.fixture
def hector(chat, portfolio):
    hector = validated(chat, HECTOR)
    hector.says("renovar mi crédito")
    return hector


def test_yes_to_the_advisor_hands_over(hector):
    said = hector.says("sí")

    assert said.outcome.replies == []
    assert said.escalation.reason == "asked_human"


def test_no_to_the_advisor_ends_kindly(hector):
    said = hector.taps("renew_advisor_no")

    assert said.sequence == ["renovacion/not_now.txt", MORE]
    assert said.escalation is None


def test_an_unclear_answer_to_the_advisor_offer_is_asked_again(hector):
    said = hector.says("mmm ¿cómo así?")

    assert said.sequence == ["renovacion/advisor_again.txt"]
    assert said.at == ("renovacion", "advisor")
