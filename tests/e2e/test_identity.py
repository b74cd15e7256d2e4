"""Identity validation before financial data: cédula + issue date, then the registered
phone (or a one-time code sent to it); failures lock, repeated locks alert an advisor."""

import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from conversations.models import ConversationSession, InboundMessage, OutboundMessage
from escalations.models import Ticket
from proalto.colombia import BOGOTA
from tests.support import texts

ANA_PHONE = "573001234567"  # customer 1, cédula 1020304050, issued 1979-05-10
OTHER_PHONE = "573209990000"  # not registered to anybody


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def otp_codes(standin, wa_id: str) -> list[str]:
    """The codes the OTP template carried to this number (body parameter)."""
    codes = []
    for message in standin.sent_to(wa_id):
        payload = message["payload"]
        if payload["type"] == "template" and payload["template"]["name"] == "proalto_codigo_verificacion":
            template = payload["template"]
            body = next(c for c in template["components"] if c["type"] == "body")
            button = next(c for c in template["components"] if c["type"] == "button")
            assert body["parameters"][0]["text"] == button["parameters"][0]["text"]
            codes.append(body["parameters"][0]["text"])
    return codes


def session_of(wa_id: str) -> ConversationSession:
    return ConversationSession.objects.get(contact__wa_id=wa_id)


def knows_ana(consented_chat, wa_id: str = OTHER_PHONE, date: str = "10/05/1979"):
    """Someone writing from another number who knows Ana's cédula and its issue date."""
    user = consented_chat(wa_id, "Ana")
    user.says("saldo")
    user.says("1020304050")
    return user, texts(user.says(date))


def test_registered_number_validates_with_cedula_and_issue_date(consented_chat, portfolio, standin):
    ana = consented_chat(ANA_PHONE)
    assert "número de cédula" in texts(ana.says("quiero consultar mi saldo"))
    assert "fecha de expedición" in texts(ana.says("1.020.304.050"))
    body = texts(ana.says("10 de mayo de 1979"))
    assert "Confirmé tu identidad" in body
    assert "$8.250.000" in body
    session = session_of(ANA_PHONE)
    assert session.validated_customer.cedula == "1020304050"
    assert session.validated_until > timezone.now() + timedelta(minutes=9)
    assert otp_codes(standin, ANA_PHONE) == []  # the phone itself was the second factor
    assert "identity" not in session.data and (session.flow, session.step) == ("menu", "more")


def test_unreadable_answers_are_re_asked_without_counting_as_failures(consented_chat, portfolio, settings):
    settings.IDENTITY_MAX_FAILURES = 1
    ana = consented_chat(ANA_PHONE)
    ana.says("saldo")
    assert "Escríbelo solo con números" in texts(ana.says("mi cédula es la de siempre"))
    ana.says("1020304050")
    assert "No logré entender esa fecha" in texts(ana.says("el día que cumplí 18"))
    body = texts(ana.says("1979-05-10"))
    assert "Confirmé tu identidad" in body


def test_other_number_gets_a_code_on_the_registered_phone(consented_chat, portfolio, standin):
    user, body = knows_ana(consented_chat, date="10/05/1979")
    assert "celular que tienes registrado" in body and "4567" not in body
    assert "8.250.000" not in body
    codes = otp_codes(standin, ANA_PHONE)
    assert len(codes) == 1 and len(codes[0]) == 6 and codes[0].isdigit()
    template, notice = OutboundMessage.objects.filter(contact__wa_id=ANA_PHONE, kind="template").order_by("id")
    assert codes[0] not in template.preview
    # Staff reading the owner's chat see which number asked for the code (masked) and when.
    assert "pedido desde el WhatsApp 57•••••0000" in template.preview and "4567" not in template.preview
    assert codes[0] not in str(template.body)  # redacted once Meta has it
    # Audit finding 5: the owner is told, beside the code, that another chat asked for it.
    assert notice.body["template"]["name"] == "proalto_aviso_codigo"
    assert "57•••••0000" in notice.preview and "4567" not in notice.preview
    session = session_of(OTHER_PHONE)
    assert codes[0] not in str(session.data)  # only its hash is kept
    assert session.validated_customer is None

    body = texts(user.says(codes[0]))
    assert "Confirmé tu identidad" in body and "$8.250.000" in body
    assert session_of(OTHER_PHONE).validated_customer.cedula == "1020304050"


def test_wrong_code_counts_and_the_right_one_still_works(consented_chat, portfolio, standin):
    user, _ = knows_ana(consented_chat, date="10-05-1979")
    code = otp_codes(standin, ANA_PHONE)[0]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    body = texts(user.says(wrong))
    assert "no es correcto" in body and "8.250.000" not in body
    assert "Confirmé tu identidad" in texts(user.says(code[:3] + " " + code[3:]))


def test_a_code_is_single_use(consented_chat, portfolio, standin):
    user, _ = knows_ana(consented_chat, date="10/05/1979")
    code = otp_codes(standin, ANA_PHONE)[0]
    assert "$8.250.000" in texts(user.says(code))
    session = session_of(OTHER_PHONE)
    session.validated_customer = None
    session.validated_until = None
    session.save()
    user.says("saldo")
    user.says("1020304050")
    user.says("10/05/1979")
    assert len(otp_codes(standin, ANA_PHONE)) == 2
    assert "no es correcto" in texts(user.says(code))


def test_expired_code_offers_a_new_one(consented_chat, portfolio, standin, settings):
    settings.IDENTITY_OTP_SECONDS = 0  # every code is already expired when typed
    user, _ = knows_ana(consented_chat, date="10/05/1979")
    first = otp_codes(standin, ANA_PHONE)[0]
    body = texts(user.says(first))
    assert "ya venció" in body and "8.250.000" not in body
    assert "identity_resend" in user.offered()

    settings.IDENTITY_OTP_SECONDS = 300
    body = texts(user.taps("identity_resend"))
    assert "código nuevo" in body
    codes = otp_codes(standin, ANA_PHONE)
    assert len(codes) == 2
    assert "$8.250.000" in texts(user.says(codes[1]))


def test_resends_are_limited(consented_chat, portfolio, standin, settings):
    settings.IDENTITY_OTP_MAX_SENDS = 2
    user, _ = knows_ana(consented_chat, date="10/05/1979")
    user.says("reenviar")
    assert "número máximo de códigos" in texts(user.says("reenviar"))
    assert len(otp_codes(standin, ANA_PHONE)) == 2


def test_three_failures_lock_and_a_second_lock_alerts_an_advisor(consented_chat, portfolio):
    # At 23:50 (a standing clock) the 15-minute lock ends the next day: the date is said too.
    with time_machine.travel(datetime(2027, 1, 12, 23, 50, tzinfo=BOGOTA), tick=False):
        ana = consented_chat(ANA_PHONE)
        ana.says("saldo")
        for _ in range(3):
            ana.says("1020304050")
            body = texts(ana.says("01/01/1980"))
        assert "bloqueé temporalmente" in body
        assert "Podrás intentarlo de nuevo el 13 de enero de 2027 a partir de las *12:05 a. m.*" in body
        assert not Ticket.objects.exists()

        # While locked, nothing is asked.
        body = texts(ana.says("saldo"))
        assert "bloqueé temporalmente" in body and "cédula" not in body.split("bloqueé")[0]
        assert "número de cédula" not in body

        # The lock ends; three more failures lock again and raise an alert.
        _clear_locks()
        ana.says("saldo")
        for _ in range(3):
            ana.says("1020304050")
            body = texts(ana.says("02/02/1980"))
        assert "bloqueé temporalmente" in body
        ticket = Ticket.objects.get()
        assert ticket.reason == "locked_validation"
        assert ticket.details["cedula"].endswith("050") and "1020304050" not in str(ticket.details)
        assert session_of(ANA_PHONE).validated_customer is None


def _clear_locks():
    """The clock moving past the lock: drop the lock entries (the history of locks stays)."""
    from django.core.cache import cache

    from credits.identity import subject_keys

    cache.delete_many([f"identity:lock:{s}" for s in subject_keys(wa_id=ANA_PHONE, cedula="1020304050")])


def test_unknown_cedula_gets_the_same_answers_as_a_wrong_date(consented_chat, portfolio):
    # The clock stands still: both are locked until the same minute however slow the machine
    # (ticking, the two lock times could fall on either side of a minute).
    with time_machine.travel(datetime(2027, 1, 12, 10, 0, tzinfo=BOGOTA), tick=False):
        known = consented_chat(ANA_PHONE)
        unknown = consented_chat("573118887766", "Pedro")

        def journey(user, cedula):
            steps = [user.says("saldo"), user.says(cedula), user.says("03/03/1990")]
            return [texts(s).replace("Pedro", "X").replace("Ana", "X") for s in steps]

        assert journey(known, "1020304050") == journey(unknown, "999888777")
        assert journey(known, "1020304050")[-1] == journey(unknown, "999888777")[-1]
        # Both are locked the same way on the third failure, for IDENTITY_LOCK_MINUTES (15).
        known_locked, unknown_locked = journey(known, "1020304050"), journey(unknown, "999888777")
    assert known_locked == unknown_locked
    assert "Podrás intentarlo de nuevo a partir de las *10:15 a. m.*" in known_locked[-1]


def test_validation_expires_after_ten_minutes_without_activity(consented_chat, portfolio):
    ana = consented_chat(ANA_PHONE)
    ana.says("saldo")
    ana.says("1020304050")
    assert "$8.250.000" in texts(ana.says("10/05/1979"))
    # Ten minutes pass with no message.
    session = session_of(ANA_PHONE)
    session.validated_until = timezone.now() - timedelta(seconds=1)
    session.save()
    body = texts(ana.says("saldo"))
    assert "número de cédula" in body and "8.250.000" not in body


def test_validated_customer_is_not_asked_again_within_the_window(consented_chat, portfolio):
    ana = consented_chat(ANA_PHONE)
    ana.says("saldo")
    ana.says("1020304050")
    ana.says("10/05/1979")
    body = texts(ana.says("saldo"))
    assert "cédula" not in body and "$8.250.000" in body


def test_identity_answers_are_stored_masked_everywhere(consented_chat, portfolio, standin):
    """Audit finding 1: the cédula, its issue date and one-time codes typed by the customer are
    kept masked in the message row and its payload, so no staff screen, transcript or export
    can show them; the flow still read them in full."""
    user = consented_chat("573209990000", "Desconocido")
    user.says("saldo")
    user.says("1020304050")
    user.says("10/05/1979")
    code = otp_codes(standin, ANA_PHONE)[0]
    assert "$8.250.000" in texts(user.says(code))

    typed = list(
        InboundMessage.objects.filter(contact__wa_id="573209990000").order_by("id").values_list("text", flat=True)
    )
    assert typed[-3:] == ["[cédula •••••••050]", "[fecha de expedición]", "[código]"]
    stored = json.dumps(list(InboundMessage.objects.values_list("payload", flat=True)))
    assert "1020304050" not in stored and "10/05/1979" not in stored and code not in stored


def test_codes_are_capped_per_customer_a_day_across_validations(consented_chat, portfolio, standin, settings):
    """Audit finding 5: the per-validation cap reset with each new validation, so anyone who
    knew a cédula and its issue date could make the bot send codes without limit."""
    settings.IDENTITY_OTP_MAX_PER_DAY = 4
    sent = 0
    for number in ("573209990001", "573209990002", "573209990003"):
        user, _ = knows_ana(consented_chat, wa_id=number, date="10/05/1979")  # one code each
        user.says("reenviar")
        sent = len(otp_codes(standin, ANA_PHONE))
    assert sent == 4  # and not 6
    assert "ya no puedo enviar más códigos" in texts(standin.sent_to("573209990003"))
