"""Paz y salvo: with every credit paid the certificate is asked for as an effect (rendered and
stored by the worker after the lock, never by the flow); otherwise what is still owed."""

import pytest

from conversations.bot import effects
from documents.models import Document, PazYSalvo
from tests.bot.conftest import ANA, ANDRES, ASKED_ANYTHING_ELSE, CARLOS, JORGE, LUZ
from tests.portfolio import expected_cutoff

PENDING = "paz_y_salvo/pending.txt"
MORE = "menu/anything_else.txt"


def validated(chat, demo):
    return chat(demo.wa_id, demo.name).validated_as(demo.customer())


def test_everything_paid_asks_for_the_certificate_and_writes_nothing(chat, portfolio):
    carlos = CARLOS.customer()

    said = validated(chat, CARLOS).says("paz y salvo")

    assert said.sequence == [effects.CertificateIssue(customer_id=carlos.pk), MORE]
    assert said.effects_of(effects.CertificateIssue)[0].caption == "paz_y_salvo/certificate.txt"
    assert said.resolved_flow == "paz_y_salvo" and said.at == ASKED_ANYTHING_ELSE
    assert not PazYSalvo.objects.exists() and not Document.objects.exists()


def test_the_certificate_follows_the_validation_in_the_same_turn(chat, portfolio):
    carlos = chat(CARLOS.wa_id, CARLOS.name)
    assert carlos.says("necesito mi paz y salvo").sequence == ["identity/ask_cedula.txt"]
    carlos.says(CARLOS.cedula)

    said = carlos.says(CARLOS.issued_typed)

    assert said.sequence == [
        "identity/validated.txt",
        effects.CertificateIssue(customer_id=CARLOS.customer().pk),
        MORE,
    ]
    assert not PazYSalvo.objects.exists() and not Document.objects.exists()


def test_a_pending_balance_is_listed_instead(chat, portfolio):
    said = validated(chat, ANA).says("paz y salvo")

    assert said.sequence == [PENDING]
    assert said.context(PENDING) == {
        "pending": [{"number": "LIB-000123", "pagaduria": "Colpensiones", "balance": "$8.250.000"}],
        "cutoff": expected_cutoff(),
    }
    assert set(said.options) == {"saldo_detalle", "no_gracias"}
    assert said.at == ("paz_y_salvo", "pending")


def test_every_pending_credit_is_listed(chat, portfolio):
    said = validated(chat, LUZ).says("paz y salvo")

    assert [credit["number"] for credit in said.context(PENDING)["pending"]] == ["LIB-000201", "LIB-000245"]
    assert said.effects == []


def test_a_credit_in_arrears_is_pending(chat, portfolio):
    said = validated(chat, JORGE).says("paz y salvo")

    assert said.sequence == [PENDING]
    assert said.context(PENDING)["pending"][0]["number"] == "LIB-000310"


def test_no_credits_no_certificate(chat, portfolio):
    said = validated(chat, ANDRES).says("paz y salvo")

    assert said.sequence == ["paz_y_salvo/no_credits.txt", MORE]
    assert said.effects == []


@pytest.mark.parametrize("answer", ["[saldo_detalle]", "Ver detalle", "sí"])
def test_the_balance_detail_can_follow(chat, portfolio, answer):
    ana = validated(chat, ANA)
    ana.says("paz y salvo")

    said = ana.answers(answer)

    assert said.sequence == ["saldo/detail.txt", MORE]
    assert said.resolved_flow == "saldo"


@pytest.mark.parametrize("answer", ["[no_gracias]", "No, gracias", "no"])
def test_no_detail_ends(chat, portfolio, answer):
    ana = validated(chat, ANA)
    ana.says("paz y salvo")

    said = ana.answers(answer)

    assert said.sequence == [MORE]
    assert said.at == ASKED_ANYTHING_ELSE


def test_yes_please_with_a_comma_shows_the_detail(chat, portfolio):
    ana = validated(chat, ANA)
    ana.says("paz y salvo")

    said = ana.says("Sí, por favor")

    assert said.sequence == ["saldo/detail.txt", MORE]


def test_an_unclear_answer_is_asked_again(chat, portfolio):
    ana = validated(chat, ANA)
    ana.says("paz y salvo")

    said = ana.says("mmm ¿cómo así?")

    assert said.sequence == ["paz_y_salvo/pending_reask.txt"]
    assert said.at == ("paz_y_salvo", "pending") and said.session.misunderstandings == 1


def test_the_detail_after_the_validation_lapsed_validates_again(chat, portfolio, settings):
    ana = validated(chat, ANA)
    ana.says("paz y salvo")
    ana.later(minutes=settings.IDENTITY_SESSION_MINUTES + 1)

    said = ana.answers("[saldo_detalle]")

    assert said.sequence == ["identity/ask_cedula.txt"]
