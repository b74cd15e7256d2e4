"""Habeas Data from the user's side: consent (accept, decline, re-consent, revoke) and
data-rights requests made through the bot, with their radicado and legal deadline."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from consent.models import ConsentRecord, DataRightsRequest, PolicyVersion
from consent.services import rights_request_ask_info, rights_request_resolve
from conversations.models import ConversationSession
from credits.models import Customer
from escalations.models import Ticket
from proalto.colombia import BOGOTA
from tests.support import OpenAIStandIn, texts

ANA = "573001234567"  # demo customer 1 (credits/fixtures/README.md)
ACCEPTED, DECLINED, REVOKED = (
    ConsentRecord.Answer.ACCEPTED,
    ConsentRecord.Answer.DECLINED,
    ConsentRecord.Answer.REVOKED,
)


def answers(wa_id: str) -> list[str]:
    return list(
        ConsentRecord.objects.filter(wa_id=wa_id).order_by("recorded_at", "id").values_list("answer", flat=True)
    )


# The data-rights tests run on Tuesday 12 January 2027 (Bogotá): 10 business days later is
# Tuesday the 26th, 15 business days later Tuesday 2 February (no holidays in between).
A_TUESDAY = datetime(2027, 1, 12, 10, 0, tzinfo=BOGOTA)


# --- Consent ------------------------------------------------------------------------------


def test_accepting_records_the_exact_text_shown_and_opens_the_menu(chat, policy):
    ana = chat(ANA)
    asked = texts(ana.says("Hola"))
    assert policy.consent_text in asked and policy.policy_url in asked

    replies = ana.taps("consent_accept")
    assert "autorización quedó registrada" in texts(replies)
    assert "privacidad" in ana.offered()
    record = ConsentRecord.objects.get(wa_id=ANA)
    assert record.answer == ACCEPTED and record.policy_version == policy
    # The proof holds the message as read, with the buttons offered.
    assert record.text_shown.startswith(asked) and "[Acepto]" in record.text_shown
    assert record.inbound_message is not None


def test_typed_acepto_is_consent(chat):
    ana = chat(ANA)
    ana.says("buenas")
    replies = ana.says("Acepto")
    assert "autorización quedó registrada" in texts(replies)
    assert answers(ANA) == [ACCEPTED]


def test_typed_sentence_accepting_the_policy_is_consent(chat):
    ana = chat(ANA)
    ana.says("buenas")
    ana.says("Sí, acepto la política de privacidad")
    assert answers(ANA) == [ACCEPTED]


def test_a_menu_tap_or_a_request_while_consent_is_pending_is_not_consent(chat):
    ana = chat(ANA)
    ana.says("Hola")
    # An old menu list tapped while the consent question is pending.
    replies = ana.sends(
        "list_reply", interactive={"type": "list_reply", "list_reply": {"id": "saldo", "title": "Consultar saldo"}}
    )
    assert "aceptas o no el tratamiento" in texts(replies)
    assert set(ana.offered()) == {"consent_accept", "consent_decline"}

    replies = ana.says("saldo")
    assert "aceptas o no el tratamiento" in texts(replies)
    assert set(ana.offered()) == {"consent_accept", "consent_decline"}
    assert not ConsentRecord.objects.filter(answer=ACCEPTED).exists()


def test_declining_is_respected_and_nothing_is_collected(chat, portfolio):
    ana = chat(ANA)
    ana.says("Hola")
    replies = ana.taps("consent_decline")
    assert "respetamos tu decisión" in texts(replies)
    assert set(ana.offered()) == {"asesor", "consent_review"}

    replies = ana.says("quiero saber mi saldo")
    assert "Sin tu autorización" in texts(replies)
    replies = ana.says("1020304050")
    assert "Sin tu autorización" in texts(replies)
    assert answers(ANA) == [DECLINED]
    session = ConversationSession.objects.get(contact__wa_id=ANA)
    assert session.validated_customer is None and "1020304050" not in str(session.data)
    assert not Ticket.objects.exists()


def test_declining_then_asking_for_an_advisor_opens_a_ticket(chat):
    ana = chat(ANA)
    ana.says("Hola")
    ana.taps("consent_decline")
    replies = ana.taps("asesor")
    ticket = Ticket.objects.get(contact__wa_id=ANA)
    assert ticket.reason == "asked_human"
    assert f"#{ticket.pk}" in texts(replies)
    assert answers(ANA) == [DECLINED]


def test_declining_then_typing_the_advisor_button_opens_a_ticket(chat):
    ana = chat(ANA)
    ana.says("Hola")
    ana.taps("consent_decline")
    ana.says("Hablar con asesor")
    assert Ticket.objects.filter(contact__wa_id=ANA).count() == 1


def test_declining_then_reviewing_again_and_accepting(chat):
    ana = chat(ANA)
    ana.says("Hola")
    ana.taps("consent_decline")
    ana.taps("consent_review")
    ana.taps("consent_accept")
    assert answers(ANA) == [DECLINED, ACCEPTED]


def test_a_new_policy_version_asks_again_saying_it_was_updated(consented_chat, policy):
    ana = consented_chat(ANA)
    new = PolicyVersion.objects.create(
        version="2027.1",
        consent_text="ProAlto tratará tus datos también para enviarte el extracto.",
        policy_url="https://www.proalto.com.co/pti-2027",
        published_at=policy.published_at + timedelta(minutes=1),
    )
    replies = ana.says("Hola, quiero mi saldo")
    body = texts(replies)
    assert "Actualizamos nuestra Política" in body and "2027.1" in body and new.consent_text in body
    assert set(ana.offered()) == {"consent_accept", "consent_decline"}

    ana.taps("consent_accept")
    records = ConsentRecord.objects.filter(wa_id=ANA).order_by("recorded_at", "id")
    assert [(r.policy_version.version, r.answer) for r in records] == [
        (policy.version, ACCEPTED),
        ("2027.1", ACCEPTED),
    ]
    assert "Actualizamos" in records.last().text_shown


# --- Privacy flow ---------------------------------------------------------------------------


def test_anyone_can_read_the_policy_without_consent(chat, policy):
    ana = chat(ANA)
    ana.says("privacidad")
    assert "privacy_read" in ana.offered()
    replies = ana.taps("privacy_read")
    body = texts(replies)
    assert policy.policy_url in body and "Revocar" in body and "10 días hábiles" in body
    assert answers(ANA) == []


@pytest.mark.parametrize("moment", [A_TUESDAY], indirect=True)
def test_conocer_registers_a_consulta_with_radicado_and_deadline(moment, consented_chat, portfolio):
    ana = consented_chat(ANA)
    ana.says("privacidad")
    replies = ana.taps("privacy_conocer")
    request = DataRightsRequest.objects.get(contact__wa_id=ANA)
    assert request.kind == "conocer" and request.category == "consulta"
    assert request.customer.cedula == "1020304050"
    body = texts(replies)
    assert request.number in body and "26 de enero de 2027" in body
    assert request.due_date == date(2027, 1, 26)
    assert not Customer.objects.get(cedula="1020304050").reclamo_en_tramite


@pytest.mark.parametrize("moment", [A_TUESDAY], indirect=True)
def test_suprimir_asks_for_a_description_and_marks_reclamo_en_tramite(moment, consented_chat, portfolio):
    ana = consented_chat(ANA)
    ana.says("privacidad")
    replies = ana.taps("privacy_suprimir")
    assert "qué datos quieres que eliminemos" in texts(replies)

    replies = ana.says("borrar")
    assert "más de detalle" in texts(replies)
    assert not DataRightsRequest.objects.exists()

    replies = ana.says("Quiero que eliminen mi correo personal y mi teléfono fijo")
    request = DataRightsRequest.objects.get(contact__wa_id=ANA)
    assert (request.kind, request.category, request.status) == ("suprimir", "reclamo", "received")
    assert "correo personal" in request.detail
    body = texts(replies)
    assert request.number in body and "2 de febrero de 2027" in body
    assert request.due_date == date(2027, 2, 2)
    assert Customer.objects.get(cedula="1020304050").reclamo_en_tramite


def test_typed_words_pick_the_right(consented_chat):
    ana = consented_chat(ANA)
    ana.says("privacidad")
    ana.says("no sé")  # not understood: the menu again
    assert "privacy_conocer" in ana.offered()
    ana.says("corregir")
    ana.says("Mi segundo apellido está mal escrito")
    assert DataRightsRequest.objects.get().kind == "rectificar"


def test_free_text_naming_a_right_goes_straight_to_it(consented_chat):
    ana = consented_chat(ANA)
    replies = ana.says("quiero borrar mis datos personales")
    assert "qué datos quieres que eliminemos" in texts(replies)


def test_revoking_stops_at_once_and_the_next_message_asks_for_consent_again(consented_chat, portfolio):
    ana = consented_chat(ANA)
    session = ConversationSession.objects.get(contact__wa_id=ANA)
    session.validated_customer = Customer.objects.get(cedula="1020304050")
    session.validated_until = timezone.now() + timedelta(minutes=10)
    session.save()

    ana.says("privacidad")
    replies = ana.taps("privacy_revocar")
    assert "¿Confirmas que quieres revocar" in texts(replies)
    replies = ana.taps("privacy_revoke_yes")
    body = texts(replies)
    assert "revocamos tu autorización" in body
    assert "registros de tus créditos" in body and "prueba de tu autorización" in body

    assert answers(ANA) == [ACCEPTED, REVOKED]
    request = DataRightsRequest.objects.get(contact__wa_id=ANA)
    assert request.kind == "revocar" and request.consent_record.answer == REVOKED
    assert request.number in body
    session.refresh_from_db()
    assert session.validated_customer is None and session.validated_until is None and session.data == {}

    replies = ana.says("Hola, mi saldo")
    body = texts(replies)
    assert "necesito tu autorización" in body and "Actualizamos" not in body
    assert set(ana.offered()) == {"consent_accept", "consent_decline"}


def test_keeping_the_authorisation_changes_nothing(consented_chat):
    ana = consented_chat(ANA)
    ana.says("privacidad")
    ana.taps("privacy_revocar")
    replies = ana.says("no")
    assert "sigue vigente" in texts(replies)
    assert answers(ANA) == [ACCEPTED]
    assert not DataRightsRequest.objects.exists()


def test_missing_information_is_asked_and_given_through_the_bot(consented_chat, portfolio):
    ana = consented_chat(ANA)
    ana.says("privacidad")
    ana.taps("privacy_actualizar")
    ana.says("Cambié mi dirección de residencia")
    request = DataRightsRequest.objects.get()
    officer = get_user_model().objects.create_user("oficial", password="x")

    rights_request_ask_info(request=request, missing="¿Cuál es tu nueva dirección completa?", by=officer)
    notice = texts(ana.replies(wait=5, at_least=1))
    assert request.number in notice and "nueva dirección completa" in notice

    replies = ana.says("privacidad")
    assert "nueva dirección completa" in texts(replies)
    replies = ana.says("Carrera 45 # 12-30, Medellín")
    request.refresh_from_db()
    assert request.status == "in_progress" and "Carrera 45" in request.detail
    assert request.number in texts(replies)

    rights_request_resolve(request=request, answer="Actualizamos tu dirección.", by=officer)
    notice = texts(ana.replies(wait=5, at_least=1))
    assert "Actualizamos tu dirección." in notice and request.number in notice
    assert not Customer.objects.get(cedula="1020304050").reclamo_en_tramite


def test_privacy_can_be_read_before_answering_the_consent_question(chat):
    ana = chat(ANA)
    ana.says("Hola")
    replies = ana.says("privacidad")
    assert "privacy_read" in ana.offered() and "Habeas Data" in texts(replies)
    ana.taps("privacy_read")
    # Still no answer: the next message asks for consent again.
    ana.says("hola")
    assert set(ana.offered()) == {"consent_accept", "consent_decline"}
    assert answers(ANA) == []


def test_a_question_about_our_data_shows_the_menu_instead_of_registering_a_request(consented_chat):
    ana = consented_chat(ANA)
    ana.says("qué datos personales tienen de mí")
    assert "privacy_conocer" in ana.offered()
    assert not DataRightsRequest.objects.exists()


def test_nothing_goes_to_the_llm_provider_before_consent(chat, settings):
    """Audit finding 9: with the LLM intent backend, the first free-text message went to the
    provider before the customer consented; now only the local recogniser reads it."""
    llm = OpenAIStandIn(answer="saldo")
    try:
        settings.INTENT_BACKEND, settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL = "llm", "test-key", llm.url
        ana = chat()
        ana.says("buenas, necesito saber cuánto debo")
        ana.says("quiero saber mi saldo")
        assert llm.requests == []
        ana.taps("consent_accept")  # continues with the balance request: asks the cédula
        ana.says("menú")
        ana.says("me regalas la información de lo que debo")
        assert len(llm.requests) == 1
    finally:
        llm.close()
