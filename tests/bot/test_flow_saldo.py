"""Consultar saldo: the validated customer's outstanding credits, formatted the Colombian way;
nothing financial before the validation."""

from tests.bot.conftest import ANA, ANDRES, ASKED_ANYTHING_ELSE, CARLOS, JORGE, LUZ, STRANGER
from tests.portfolio import expected_cutoff

DETAIL = "saldo/detail.txt"
MORE = "menu/anything_else.txt"


def validated(chat, demo, wa_id=None):
    return chat(wa_id or demo.wa_id, demo.name).validated_as(demo.customer())


def test_the_outstanding_credit_is_told_in_colombian_format(chat, portfolio):
    said = validated(chat, ANA).says("¿cuánto debo?")

    assert said.sequence == [DETAIL, MORE]
    assert said.context(DETAIL) == {
        "credits": [
            {
                "number": "LIB-000123",
                "pagaduria": "Colpensiones",
                "balance": "$8.250.000",
                "installments_paid": 27,
                "installments_total": 60,
                "installment_amount": "$410.000",
                "next_deduction": "1 de diciembre de 2026",
                "arrears": False,
            }
        ],
        "cutoff": expected_cutoff(),
    }
    if expected_cutoff():  # the local copy: "…con corte al 30 de noviembre de 2026, 6:00 a. m."
        assert f"\nInformación con corte al {expected_cutoff()}\n" in said.text.replace("_", "\n") + "\n"
    else:  # read live from the core: no cut-off to state
        assert "corte" not in said.text
    assert said.effects == [] and said.resolved_flow == "saldo" and said.at == ASKED_ANYTHING_ELSE


def test_every_outstanding_credit_is_told_by_number(chat, portfolio):
    said = validated(chat, LUZ).says("saldo")

    assert [credit["number"] for credit in said.context(DETAIL)["credits"]] == ["LIB-000201", "LIB-000245"]


def test_a_credit_in_arrears_is_flagged(chat, portfolio):
    said = validated(chat, JORGE).says("saldo")

    [credit] = said.context(DETAIL)["credits"]
    assert (credit["number"], credit["arrears"]) == ("LIB-000310", True)


def test_paid_credits_are_not_outstanding(chat, portfolio):
    said = validated(chat, CARLOS).says("saldo")

    assert said.sequence == ["saldo/none.txt", MORE]


def test_no_credits_at_all(chat, portfolio):
    assert validated(chat, ANDRES).says("saldo").sequence == ["saldo/none.txt", MORE]


def test_the_balance_is_the_validated_customers_not_the_phones(chat, portfolio):
    # Ana's phone, validated as Luz (a code sent to Luz's registered mobile).
    said = validated(chat, LUZ, wa_id=ANA.wa_id).says("saldo")

    assert [credit["number"] for credit in said.context(DETAIL)["credits"]] == ["LIB-000201", "LIB-000245"]


def test_nothing_is_told_before_the_validation(chat, portfolio):
    said = chat(STRANGER).says("saldo")

    assert said.sequence == ["identity/ask_cedula.txt"]
    assert said.at == ("identidad", "cedula")


def test_the_balance_follows_the_validation_in_the_same_turn(chat, portfolio):
    ana = chat()
    ana.says("saldo")
    ana.says(ANA.cedula)

    said = ana.says(ANA.issued_typed)

    assert said.sequence == ["identity/validated.txt", DETAIL, MORE]
    assert said.resolved_flow == "saldo"
