"""Identity validation: cédula and issue date, then the registered mobile (this chat's number,
or a one-time code sent to it as an effect); the answers never tell whether a cédula exists,
and repeated failures lock the validation."""

import re
from datetime import timedelta

import pytest

from conversations.bot import effects
from tests.bot.conftest import ANA, ASKED_ANYTHING_ELSE, NOW, STRANGER

VALIDATED_SALDO = ["identity/validated.txt", "saldo/detail.txt", "menu/anything_else.txt"]


def at_issue_date(chat, wa_id=ANA.wa_id, cedula=ANA.cedula):
    person = chat(wa_id)
    person.says("saldo")
    person.says(cedula)
    return person


def wrong_date(person, cedula=ANA.cedula):
    """One failed attempt from wherever the validation stands: asked for, cédula, a wrong date."""
    if not person.session.flow:
        person.says("saldo")
    if person.session.step == "cedula":
        person.says(cedula)
    return person.says("01/01/2000")


@pytest.fixture
def stranger_at_code(chat, portfolio):
    """Someone writing from another phone who knows Ana's cédula and issue date: a code was sent."""
    person = at_issue_date(chat, STRANGER)
    said = person.says(ANA.issued_typed)
    [sent] = said.effects_of(effects.CodeSend)
    return person, sent


def test_a_financial_request_asks_for_the_cedula_first(chat, portfolio):
    said = chat().says("saldo")

    assert said.sequence == ["identity/ask_cedula.txt"]
    assert said.at == ("identidad", "cedula") and said.data == {"_return": ["saldo", "detail"]}


@pytest.mark.parametrize("typed", ["1020304050", "1.020.304.050", "CC 1020304050", "cédula: 1020 304 050"])
def test_a_readable_cedula_asks_for_its_issue_date_and_is_kept_only_masked(chat, portfolio, typed):
    ana = chat()
    ana.says("saldo")

    said = ana.says(typed)

    assert said.sequence == ["identity/ask_issue_date.txt"]
    assert said.at == ("identidad", "issue_date")
    state = said.data["identity"]
    assert state["candidate"] == ANA.customer().pk and state["cedula_masked"] == "•••••••050"
    assert ANA.cedula not in str(said.data)


def test_an_unreadable_cedula_is_asked_again(chat, portfolio):
    ana = chat()
    ana.says("saldo")

    said = ana.says("la de siempre")

    assert said.sequence == ["identity/cedula_unreadable.txt"]
    assert said.at == ("identidad", "cedula") and said.session.misunderstandings == 1


@pytest.mark.parametrize(
    "typed, template",
    [
        ("no me acuerdo", "identity/help_cedula.txt"),
        ("no tengo la cédula a la mano", "identity/help_cedula.txt"),
        ("¿para qué necesitan mi cédula?", "identity/why_asked.txt"),
        ("porque me piden eso", "identity/why_asked.txt"),
    ],
)
def test_a_question_about_the_cedula_step_is_answered_and_the_step_waits(chat, portfolio, typed, template):
    ana = chat()
    ana.says("saldo")

    said = ana.says(typed)

    assert said.sequence == [template] and said.escalation is None
    assert said.at == ("identidad", "cedula") and said.session.misunderstandings == 0
    assert said.context(template) == ({"step": "cedula"} if template.endswith("why_asked.txt") else {})
    assert ana.says(ANA.cedula).sequence == ["identity/ask_issue_date.txt"]  # then on as usual


@pytest.mark.parametrize(
    "typed, template",
    [
        ("no me acuerdo de la fecha de expedición", "identity/help_issue_date.txt"),
        ("¿dónde la encuentro?", "identity/help_issue_date.txt"),
        ("se me olvidó", "identity/help_issue_date.txt"),
        ("y eso para qué lo necesitan", "identity/why_asked.txt"),
    ],
)
def test_not_knowing_the_issue_date_gets_help_not_a_complaint(chat, portfolio, typed, template):
    ana = chat()
    ana.says("saldo")
    ana.says(ANA.cedula)

    said = ana.says(typed)

    assert said.sequence == [template] and said.escalation is None
    assert said.at == ("identidad", "issue_date") and said.session.misunderstandings == 0
    assert ana.says(ANA.issued_typed).sequence[:1] == ["identity/validated.txt"]


def test_an_unknown_cedula_walks_the_same_steps_as_a_known_one(chat, portfolio):
    unknown = at_issue_date(chat, STRANGER, cedula="99887766")
    known = at_issue_date(chat, ANA.wa_id)

    unknown_said, known_said = unknown.says("01/01/2000"), known.says("01/01/2000")

    assert unknown_said.sequence == known_said.sequence == ["identity/mismatch.txt"]
    assert unknown_said.at == known_said.at == ("identidad", "cedula")
    assert unknown_said.data == known_said.data == {"_return": ["saldo", "detail"]}


def test_a_wrong_issue_date_has_no_effect_and_asks_for_the_cedula_again(chat, portfolio):
    said = at_issue_date(chat).says("11/05/1979")

    assert said.sequence == ["identity/mismatch.txt"]
    assert said.effects == [] and said.escalation is None
    assert said.session.validated_customer_id is None


def test_an_unreadable_date_is_asked_again(chat, portfolio):
    said = at_issue_date(chat).says("en mayo")

    assert said.sequence == ["identity/date_unreadable.txt"]
    assert said.at == ("identidad", "issue_date") and said.session.misunderstandings == 1


@pytest.mark.parametrize("typed", ["10/05/1979", "10-05-1979", "1979-05-10", "10 de mayo de 1979", "mayo 10 de 1979"])
def test_the_right_date_from_the_registered_mobile_validates_and_returns_to_the_request(chat, portfolio, typed):
    said = at_issue_date(chat).says(typed)

    assert said.sequence == VALIDATED_SALDO
    assert said.context("identity/validated.txt") == {"name": "Ana"}
    assert said.session.validated_customer == ANA.customer()
    assert said.session.validated_until == NOW + timedelta(minutes=10)
    assert said.at == ASKED_ANYTHING_ELSE and said.data == {}


def test_another_mobile_gets_a_six_digit_code_sent_as_an_effect(chat, portfolio, settings):
    said = at_issue_date(chat, STRANGER).says(ANA.issued_typed)

    [sent] = said.effects
    assert isinstance(sent, effects.CodeSend) and sent.customer_id == ANA.customer().pk
    assert re.fullmatch(r"\d{6}", sent.code)
    assert said.sequence == [sent, "identity/code_sent.txt"]
    assert said.context("identity/code_sent.txt") == {
        "minutes": settings.IDENTITY_OTP_SECONDS // 60,
        "resent": False,
        "can_share": False,  # the stranger's phone is visible: sharing a number proves nothing more
    }
    assert said.at == ("identidad", "code")
    assert sent.code not in str(said.data)  # the session keeps a salted hash only
    assert said.session.validated_customer_id is None


def test_the_code_validates_and_returns_to_the_request(stranger_at_code):
    person, sent = stranger_at_code

    said = person.says(f"{sent.code[:3]} {sent.code[3:]}")

    assert said.sequence == VALIDATED_SALDO
    assert said.session.validated_customer == ANA.customer()


def test_a_wrong_code_is_refused_and_the_code_still_works(stranger_at_code):
    person, sent = stranger_at_code
    wrong = f"{(int(sent.code) + 1) % 1_000_000:06d}"

    said = person.says(wrong)
    assert said.sequence == ["identity/code_wrong.txt"]
    assert said.at == ("identidad", "code") and said.effects == []

    assert person.says(sent.code).sequence == VALIDATED_SALDO


def test_something_that_is_not_a_code_is_asked_again(stranger_at_code):
    person, _ = stranger_at_code

    said = person.says("no me llegó")

    assert said.sequence == ["identity/code_unreadable.txt"]
    assert said.session.misunderstandings == 1


def test_an_expired_code_is_refused_and_a_new_one_offered(stranger_at_code, settings):
    person, sent = stranger_at_code
    person.later(seconds=settings.IDENTITY_OTP_SECONDS)

    said = person.says(sent.code)

    assert said.sequence == ["identity/code_expired.txt"]
    assert said.context("identity/code_expired.txt") == {"can_resend": True}
    assert said.session.validated_customer_id is None
    assert person.says(sent.code).sequence == ["identity/code_expired.txt"]  # single use, even expired


@pytest.mark.parametrize("answer", ["[identity_resend]", "Reenviar código"])
def test_a_new_code_can_be_asked_for_and_only_the_newest_works(stranger_at_code, answer):
    person, first = stranger_at_code

    said = person.answers(answer)

    [second] = said.effects_of(effects.CodeSend)
    assert said.sequence == [second, "identity/code_sent.txt"]
    assert said.context("identity/code_sent.txt")["resent"] is True
    if first.code != second.code:
        assert person.says(first.code).sequence == ["identity/code_wrong.txt"]
    assert person.says(second.code).sequence == VALIDATED_SALDO


def test_codes_are_limited_per_validation(stranger_at_code, settings):
    person, _ = stranger_at_code
    for _ in range(settings.IDENTITY_OTP_MAX_SENDS - 1):
        assert len(person.says("reenviar").effects_of(effects.CodeSend)) == 1

    said = person.says("reenviar")

    assert said.sequence == ["identity/code_limit.txt", "menu/anything_else.txt"]
    assert said.at == ASKED_ANYTHING_ELSE and said.resolved_flow is None


def test_repeated_failures_lock_the_validation_for_a_while(chat, portfolio, settings):
    ana = at_issue_date(chat)
    for _ in range(settings.IDENTITY_MAX_FAILURES - 1):
        assert wrong_date(ana).sequence == ["identity/mismatch.txt"]

    said = wrong_date(ana)

    assert said.sequence == ["identity/locked.txt"]
    assert said.context("identity/locked.txt") == {"time": "10:15 a. m.", "date": None}
    assert "a partir de las *10:15 a. m.*" in said.text
    assert said.escalation is None and said.effects == []
    assert said.at == ("", "") and said.session.validated_customer_id is None

    # Still locked: the next request is refused before the cédula is asked.
    assert ana.later(minutes=5).says("saldo").sequence == ["identity/locked.txt"]


def test_a_lock_on_a_cedula_holds_from_another_phone_but_not_the_owners(chat, portfolio, settings):
    """Audit finding 6: three wrong dates from any number lock the cédula for every other
    number, but the owner writing from the registered phone can still validate."""
    stranger = chat(STRANGER)
    for _ in range(settings.IDENTITY_MAX_FAILURES):
        said = wrong_date(stranger)
    assert said.sequence == ["identity/locked.txt"]

    another = chat("573209998877")
    another.says("saldo")
    said = another.says(ANA.cedula)
    assert said.sequence == ["identity/locked.txt"] and said.at == ("", "")

    ana = chat(ANA.wa_id)
    assert ana.says("saldo").sequence == ["identity/ask_cedula.txt"]
    assert ana.says(ANA.cedula).sequence == ["identity/ask_issue_date.txt"]
    said = ana.says(ANA.issued_typed)
    assert said.session.validated_customer == ANA.customer()


def test_a_lock_that_ends_tomorrow_says_the_date(chat, portfolio, settings):
    ana = chat(now=NOW.replace(hour=23, minute=50))
    ana.says("saldo")
    for _ in range(settings.IDENTITY_MAX_FAILURES):
        said = wrong_date(ana)

    assert said.context("identity/locked.txt") == {"time": "12:05 a. m.", "date": "27 de noviembre de 2026"}


def test_a_second_lock_in_a_day_goes_to_a_person(chat, portfolio, settings):
    ana = chat()
    ana.says("saldo")
    for _ in range(settings.IDENTITY_MAX_FAILURES):
        wrong_date(ana)
    ana.later(minutes=settings.IDENTITY_LOCK_MINUTES + 1)
    ana.says("saldo")
    for _ in range(settings.IDENTITY_MAX_FAILURES):
        said = wrong_date(ana)

    assert said.sequence == ["identity/locked.txt"]
    assert said.escalation.reason == "locked_validation"
    assert said.escalation.details == {"cedula": "•••••••050", "locks_24h": 2}


def test_a_validation_forgets_earlier_failures(chat, portfolio, settings):
    ana = chat()
    ana.says("saldo")
    for _ in range(settings.IDENTITY_MAX_FAILURES - 1):
        wrong_date(ana)
    ana.says(ANA.cedula)
    assert ana.says(ANA.issued_typed).sequence == VALIDATED_SALDO

    ana.later(minutes=settings.IDENTITY_SESSION_MINUTES + 1)
    ana.says("saldo")
    for _ in range(settings.IDENTITY_MAX_FAILURES - 1):
        assert wrong_date(ana).sequence == ["identity/mismatch.txt"]


def test_a_validated_chat_is_not_asked_again(chat, portfolio):
    said = chat().validated_as(ANA.customer()).says("saldo")

    assert said.sequence == ["saldo/detail.txt", "menu/anything_else.txt"]


def test_a_lapsed_validation_is_asked_again(chat, portfolio, settings):
    ana = chat().validated_as(ANA.customer())
    ana.later(minutes=settings.IDENTITY_SESSION_MINUTES + 1)

    assert ana.says("saldo").sequence == ["identity/ask_cedula.txt"]
