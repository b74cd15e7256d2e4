"""Estado de solicitud: only the validated applicant hears about their latest application;
a moving one offers a notice (an effect), a rejected one offers an advisor."""

from datetime import UTC, datetime, timedelta

import pytest

from conversations.bot import effects
from credits.models import Application, ApplicationSubscription
from tests.bot.conftest import ANA, ANDRES, ASKED_ANYTHING_ELSE, DIANA, NOW
from tests.portfolio import demo_line, expected_cutoff, portfolio_write

STATUS = "estado_solicitud/status.txt"
MORE = "menu/anything_else.txt"


@pytest.fixture
def portfolio(portfolio):
    """The demo's application in estudio moved a day before NOW: within the 48 hours the
    stage promises (an older one is told it is taking longer, tests/e2e/test_stage_overdue.py)."""
    line = demo_line("1020304050")  # Ana: SOL-2026-0042, in estudio
    line["applications"][0]["updated_at"] = (NOW - timedelta(days=1)).isoformat()
    portfolio_write(line)  # to the source in use (the core in the services pass)
    return portfolio


@pytest.fixture
def ana(chat, portfolio):
    return chat().validated_as(ANA.customer())


def latest_for_andres(stage: str) -> Application:
    line = demo_line(ANDRES.cedula)
    line["applications"] = [{"number": "SOL-2026-0099", "stage": stage, "updated_at": NOW.isoformat()}]
    portfolio_write(line)
    return Application.objects.get(number="SOL-2026-0099")


def test_without_validation_the_identity_is_asked_first(chat, portfolio):
    said = chat().says("estado de mi solicitud")

    assert said.sequence == ["identity/ask_cedula.txt"]
    assert said.at == ("identidad", "cedula") and said.data["_return"] == ["estado_solicitud", "show"]


def test_after_validation_the_status_follows_in_the_same_turn(chat, portfolio):
    ana = chat()
    ana.says("estado de mi solicitud")
    ana.says(ANA.cedula)

    said = ana.says(ANA.issued_typed)

    assert said.sequence == ["identity/validated.txt", STATUS]
    assert said.at == ("estado_solicitud", "notify")


def test_an_application_in_progress_is_told_and_a_notice_offered(ana):
    application = Application.objects.get(number="SOL-2026-0042")

    said = ana.says("estado de mi solicitud")

    assert said.sequence == [STATUS]
    assert said.context(STATUS) == {
        "number": "SOL-2026-0042",
        "stage": "estudio",
        "updated": "25 de noviembre de 2026",
        "offer_notify": True,
        "subscribed": False,
        "cutoff": expected_cutoff(),
        "overdue": False,
    }
    assert set(said.options) == {"notify_yes", "notify_no"}
    assert said.at == ("estado_solicitud", "notify")
    assert said.data == {"application": {"number": application.number, "kind": "customer"}}


@pytest.mark.parametrize("answer", ["[notify_yes]", "Sí, avísame", "dale"])
def test_yes_subscribes_to_the_application_as_an_effect(ana, answer):
    application = Application.objects.get(number="SOL-2026-0042")
    ana.says("estado de mi solicitud")

    said = ana.answers(answer)

    assert said.sequence == [
        effects.ApplicationSubscribe(number=application.number, customer_id=application.customer_id),
        "estado_solicitud/subscribed.txt",
        MORE,
    ]
    assert said.context("estado_solicitud/subscribed.txt") == {"number": "SOL-2026-0042"}
    assert said.at == ASKED_ANYTHING_ELSE and said.resolved_flow == "estado_solicitud"
    assert not ApplicationSubscription.objects.exists()  # the worker subscribes, not the flow


@pytest.mark.parametrize("answer", ["[notify_no]", "no, gracias"])
def test_no_subscribes_nothing(ana, answer):
    ana.says("estado de mi solicitud")

    said = ana.answers(answer)

    assert said.sequence == ["estado_solicitud/not_subscribed.txt", MORE]
    assert said.effects == []


def test_an_unclear_answer_to_the_notice_is_asked_again(ana):
    ana.says("estado de mi solicitud")

    said = ana.says("¿cuánto se demora?")

    assert said.sequence == ["estado_solicitud/ask_notify_again.txt"]
    assert said.at == ("estado_solicitud", "notify") and said.session.misunderstandings == 1


def test_a_yes_after_the_validation_lapsed_validates_again_before_subscribing(ana, settings):
    ana.says("estado de mi solicitud")
    ana.later(minutes=settings.IDENTITY_SESSION_MINUTES + 1)

    said = ana.says("sí")

    assert said.sequence == ["identity/ask_cedula.txt"]
    assert said.at == ("identidad", "cedula") and said.data["_return"] == ["estado_solicitud", "show"]


def test_a_subscribed_applicant_is_reminded_not_offered_again(ana):
    application = Application.objects.get(number="SOL-2026-0042")
    ApplicationSubscription.objects.create(application=application, contact=ana.contact)

    said = ana.says("estado de mi solicitud")

    assert said.sequence == [STATUS, MORE]
    assert said.context(STATUS)["offer_notify"] is False and said.context(STATUS)["subscribed"] is True


def test_the_latest_application_is_the_one_told(chat, portfolio):
    said = chat(DIANA.wa_id).validated_as(DIANA.customer()).says("estado de mi solicitud")

    assert said.context(STATUS)["number"] == "SOL-2026-0057"
    assert said.context(STATUS)["stage"] == "aprobacion"


def test_no_application_is_said_plainly(chat, portfolio):
    said = chat(ANDRES.wa_id).validated_as(ANDRES.customer()).says("estado de mi solicitud")

    assert said.sequence == ["estado_solicitud/no_application.txt", MORE]
    assert said.resolved_flow == "estado_solicitud"


def test_a_disbursed_application_offers_no_notice(chat, portfolio):
    latest_for_andres("desembolso")

    said = chat(ANDRES.wa_id).validated_as(ANDRES.customer()).says("estado de mi solicitud")

    assert said.sequence == [STATUS, MORE]
    assert said.context(STATUS)["offer_notify"] is False


@pytest.fixture
def rejected(chat, portfolio):
    latest_for_andres("rechazada")
    andres = chat(ANDRES.wa_id).validated_as(ANDRES.customer())
    said = andres.says("estado de mi solicitud")
    assert said.sequence == [STATUS]
    assert set(said.options) == {"asesor", "status_no"}
    assert said.at == ("estado_solicitud", "rejected")
    return andres


def test_a_rejected_application_offers_an_advisor_who_is_one_yes_away(rejected):
    said = rejected.says("sí")

    assert said.outcome.replies == []
    assert said.escalation.reason == "asked_human"


def test_the_advisor_button_after_a_rejection_escalates(rejected):
    assert rejected.taps("asesor").escalation.reason == "asked_human"


def test_no_advisor_after_a_rejection_ends_kindly(rejected):
    said = rejected.taps("status_no")

    assert said.sequence == [MORE] and said.escalation is None
    assert said.at == ASKED_ANYTHING_ELSE


def test_an_unclear_answer_after_a_rejection_is_asked_again(rejected):
    said = rejected.says("¿por qué?")

    assert said.sequence == ["estado_solicitud/ask_advisor_again.txt"]
    assert said.at == ("estado_solicitud", "rejected")


def test_the_status_date_is_read_in_bogota(chat, portfolio):
    # 00:30 UTC on 21 November is still the evening of 20 November in Bogotá.
    line = demo_line("1020304050")
    line["applications"][0]["updated_at"] = datetime(2026, 11, 21, 0, 30, tzinfo=UTC).isoformat()
    portfolio_write(line)  # to the source in use (the core in the services pass)

    said = chat().validated_as(ANA.customer()).says("estado de mi solicitud")

    assert said.context(STATUS)["updated"] == "20 de noviembre de 2026"
