"""Issue 15: the bot follows the customer. A person, a complaint or fraud asked for in any
step; another service named at a question; the first request kept through the consent
question; hints that match the menu; one greeting per session; farewells that fit the hour.
All through signed webhooks, replies read from the Cloud API stand-in."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from consent.models import ConsentRecord
from conversations.models import ConversationSession
from escalations.models import Ticket
from proalto.colombia import BOGOTA
from tests.e2e.sample_files import pdf_bytes
from tests.support import texts

ANA = ("573001234567", "1020304050", "10/05/1979")  # demo customer 1
GLORIA = ("573007778899", "51876543", "10/02/1978")  # demo customer 7: renewal eligible


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def ticket_of(user) -> Ticket:
    return Ticket.objects.get(contact__wa_id=user.wa_id)


# --- a person, a complaint, fraud: in every step -------------------------------------------


@pytest.mark.parametrize(
    "typed", ["hablar con un asesor", "quiero una persona", "necesito ayuda humana", "pásame con alguien"]
)
def test_a_person_asked_for_at_the_issue_date_step(consented_chat, portfolio, typed):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("saldo")
    assert "fecha de expedición" in texts(ana.says(ANA[1]))

    body = texts(ana.says(typed))

    assert "fecha" not in body.split("#")[0] or "No logré entender esa fecha" not in body
    ticket = ticket_of(ana)
    assert (ticket.reason, ticket.priority) == (Ticket.Reason.ASKED_HUMAN, Ticket.Priority.NORMAL)
    assert f"#{ticket.pk}" in body


def test_a_person_asked_for_at_the_cedula_step_on_the_first_try(consented_chat, portfolio):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("paz y salvo")
    ana.says("necesito hablar con alguien")
    assert ticket_of(ana).reason == Ticket.Reason.ASKED_HUMAN  # not "no entendido dos veces"


def test_a_person_asked_for_after_a_bad_date_is_a_person_not_a_second_misunderstanding(consented_chat, portfolio):
    # The issue's report: the second try escalated as "no entendido dos veces".
    ana = consented_chat(ANA[0], "Ana")
    ana.says("saldo")
    ana.says(ANA[1])
    assert "No logré entender esa fecha" in texts(ana.says("el año pasado"))

    body = texts(ana.says("hablar con un asesor"))

    ticket = ticket_of(ana)
    assert ticket.reason == Ticket.Reason.ASKED_HUMAN and ticket.get_reason_display() == "Pidió un asesor"
    assert "No logré entender esa fecha" not in body and f"#{ticket.pk}" in body


def at_renewal_offer(consented_chat):
    phone, cedula, issued = GLORIA
    gloria = consented_chat(phone, "Gloria")
    gloria.says("quiero renovar mi crédito")
    gloria.says(cedula)
    assert "preaprobada" in texts(gloria.says(issued))
    return gloria


def at_balance_detail_question(consented_chat):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("paz y salvo")
    ana.says(ANA[1])
    assert "detalle de tu saldo" in texts(ana.says(ANA[2]))
    return ana


def at_new_credit_city(consented_chat):
    marta = consented_chat("573209876556", "Marta")
    marta.says("quiero un crédito")
    marta.says("los envío después")
    marta.says("Marta Pérez")
    assert "ciudad" in texts(marta.says("52123456"))
    return marta


def at_renewal_documents(consented_chat):
    gloria = at_renewal_offer(consented_chat)
    assert "desprendibles" in texts(gloria.taps("renew_yes"))
    return gloria


STEPS = {
    "renewal offer (yes/no)": at_renewal_offer,
    "balance detail (yes/no)": at_balance_detail_question,
    "new credit: city": at_new_credit_city,
    "renewal: documents": at_renewal_documents,
}


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize(
    "typed, reason, priority",
    [
        ("me llamaron de ProAlto pidiendo plata", Ticket.Reason.FRAUD, Ticket.Priority.URGENT),
        ("quiero poner una queja, me descontaron doble", Ticket.Reason.COMPLAINT, Ticket.Priority.HIGH),
        ("quiero una persona", Ticket.Reason.ASKED_HUMAN, Ticket.Priority.NORMAL),
    ],
)
def test_a_person_a_complaint_or_fraud_at_any_step(consented_chat, portfolio, step, typed, reason, priority):
    customer = STEPS[step](consented_chat)

    body = texts(customer.says(typed))

    ticket = Ticket.objects.get(contact__wa_id=customer.wa_id)
    assert (ticket.reason, ticket.priority) == (reason, priority)
    assert f"#{ticket.pk}" in body and "No te entendí" not in body and "Responde *sí* o *no*" not in body


@pytest.mark.parametrize(
    "typed, reason, priority",
    [
        ("alguien sacó un préstamo a mi nombre", Ticket.Reason.FRAUD, Ticket.Priority.URGENT),
        ("usaron mis datos para un crédito", Ticket.Reason.FRAUD, Ticket.Priority.URGENT),
        ("me llamaron de ProAlto pidiendo plata", Ticket.Reason.FRAUD, Ticket.Priority.URGENT),
        ("quiero poner una queja, me descontaron doble", Ticket.Reason.COMPLAINT, Ticket.Priority.HIGH),
    ],
)
def test_complaints_and_fraud_inside_a_step(consented_chat, portfolio, typed, reason, priority):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("saldo")  # at the cédula step
    ana.says(typed)
    ticket = ticket_of(ana)
    assert (ticket.reason, ticket.priority) == (reason, priority)


@pytest.mark.parametrize("typed", ["alguien sacó un préstamo a mi nombre", "usaron mis datos para un crédito"])
def test_identity_theft_from_the_menu_is_fraud_not_privacy(consented_chat, typed):
    ana = consented_chat()
    ana.says(typed)
    ticket = ticket_of(ana)
    assert (ticket.reason, ticket.priority) == (Ticket.Reason.FRAUD, Ticket.Priority.URGENT)


# --- another service named in a step ----------------------------------------------------------


def test_another_service_at_a_yes_no_question_is_confirmed_then_followed(consented_chat, portfolio):
    phone, cedula, issued = GLORIA
    gloria = consented_chat(phone, "Gloria")
    gloria.says("quiero renovar mi crédito")
    gloria.says(cedula)
    assert "preaprobada" in texts(gloria.says(issued))

    body = texts(gloria.says("mejor necesito el pas y salvo"))

    assert "Responde *sí* o *no*" not in body
    assert "¿Quieres dejar *Renovación* y pasar a *Paz y salvo*?" in body
    assert set(gloria.offered().values()) == {"Sí, cambiar", "No, seguir aquí"}
    after = texts(gloria.taps("switch_yes"))
    assert "cédula" not in after  # still validated: straight to the paz y salvo answer
    assert ConversationSession.objects.get(contact__wa_id=phone).flow != "renovacion"


def test_saying_no_to_the_switch_goes_back_to_the_question(consented_chat, portfolio):
    phone, cedula, issued = GLORIA
    gloria = consented_chat(phone, "Gloria")
    gloria.says("quiero renovar mi crédito")
    gloria.says(cedula)
    gloria.says(issued)
    gloria.says("cuánto debo")
    body = texts(gloria.taps("switch_no"))
    assert "seguimos donde íbamos: responde a mi pregunta anterior" in body
    session = ConversationSession.objects.get(contact__wa_id=phone)
    assert (session.flow, session.step) == ("renovacion", "confirm")


def test_another_service_at_the_cedula_step_is_followed_at_once(consented_chat, portfolio):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("estado de mi solicitud")
    body = texts(ana.says("renobar credito"))
    assert "No logré" not in body and "Responde" not in body
    session = ConversationSession.objects.get(contact__wa_id=ANA[0])
    assert (session.flow, session.data.get("_return")) == ("identidad", ["renovacion", "check"])


# --- the first request survives consent ---------------------------------------------------------


@pytest.mark.parametrize(
    "first, expected",
    [
        ("necesito el paz y salvo", "número de cédula"),
        ("quiero renovar mi crédito", "número de cédula"),
        ("quiero un crédito", "requisitos"),
    ],
)
def test_the_first_request_is_kept_through_consent(chat, portfolio, first, expected):
    ana = chat(ANA[0], "Ana")
    asked = texts(ana.says(first))
    assert "autorización" in asked and expected not in asked  # not processed before consent

    body = texts(ana.taps("consent_accept"))

    assert "sigamos con lo que me pediste" in body
    assert expected in body.lower() or expected in body
    assert "Ver opciones" not in body


@pytest.mark.parametrize("review", ["tap", "typed"])
def test_the_first_request_is_kept_through_a_no_and_continued_after_acepto(chat, portfolio, review):
    ana = chat(ANA[0], "Ana")
    ana.says("necesito el paz y salvo")
    assert "respetamos tu decisión" in texts(ana.taps("consent_decline"))
    # Declined: nothing is processed, the request is not asked about, and no cédula is read.
    assert "Sin tu autorización" in texts(ana.says(ANA[1]))
    again = ana.taps("consent_review") if review == "tap" else ana.says("Acepto")
    assert "autorización" in texts(again) and "cédula" not in texts(again)

    body = texts(ana.taps("consent_accept"))

    assert "sigamos con lo que me pediste" in body and "número de cédula" in body
    assert "Ver opciones" not in body
    assert list(
        ConsentRecord.objects.filter(wa_id=ANA[0]).order_by("recorded_at", "pk").values_list("answer", flat=True)
    ) == [ConsentRecord.Answer.DECLINED, ConsentRecord.Answer.ACCEPTED]
    assert ConversationSession.objects.get(contact__wa_id=ANA[0]).data["_return"][0] == "paz_y_salvo"


def test_after_the_session_expired_the_first_request_is_not_resurrected(chat, portfolio, settings):
    ana = chat(ANA[0], "Ana")
    ana.says("necesito el paz y salvo")
    ana.taps("consent_decline")
    session = ConversationSession.objects.get(contact__wa_id=ANA[0])
    session.last_activity = timezone.now() - timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)
    session.save(update_fields=["last_activity"])
    ana.taps("consent_review")

    body = texts(ana.taps("consent_accept"))

    assert "sigamos con lo que me pediste" not in body and "cédula" not in body
    assert "Ver opciones" in body or ana.offered()


def test_a_greeting_before_consent_still_shows_the_menu_after(chat):
    ana = chat()
    ana.says("hola")
    assert "Ver opciones" in texts(ana.taps("consent_accept"))


# --- hints, typos, greeting once ----------------------------------------------------------------


def test_the_hint_does_not_ask_for_numbers_the_menu_does_not_show(consented_chat):
    ana = consented_chat()
    body = texts(ana.says("xyzzy plugh"))
    assert "no te entendí" in body and "número" not in body


@pytest.mark.parametrize("typed, expected", [("sldo", "cédula"), ("renobacion", "cédula"), ("pas y salvo", "cédula")])
def test_one_word_intents_with_typos(consented_chat, portfolio, typed, expected):
    ana = consented_chat(ANA[0], "Ana")
    assert expected in texts(ana.says(typed))


def test_the_greeting_is_said_once_per_session(chat):
    ana = chat()
    ana.says("hola")
    ana.taps("consent_accept")
    again = texts(ana.says("menú"))
    assert "Ver opciones" in again or ana.offered()
    assert "Soy el Asistente Virtual" not in again and "¡Hola" not in again


# --- farewells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hour, expected, unexpected",
    [
        (1, "Que descanses", "buen día"),
        (10, "buen día", "Que descanses"),
        (15, "buena tarde", "buen día"),
        (21, "Que descanses", "buena tarde"),
    ],
)
def test_farewells_fit_the_hour(consented_chat, hour, expected, unexpected):
    moment = datetime(2026, 11, 30, hour, 5, tzinfo=BOGOTA)
    with time_machine.travel(moment, tick=True):
        ana = consented_chat()
        body = texts(ana.says("gracias, chao"))
    assert expected in body and unexpected not in body


@pytest.mark.parametrize("typed", ["eso es todo", "nada más", "ya no"])
def test_closing_words_inside_a_step_at_1_am_close_for_the_night(consented_chat, portfolio, typed):
    with time_machine.travel(datetime(2026, 11, 30, 1, 5, tzinfo=BOGOTA), tick=True):
        ana = at_balance_detail_question(consented_chat)
        body = texts(ana.says(typed))
    assert "¡Con gusto!" in body and "Que descanses" in body and "buen día" not in body
    assert "Responde" not in body and "No te entendí" not in body
    assert ConversationSession.objects.get(contact__wa_id=ANA[0]).flow == ""


@pytest.mark.parametrize("typed", ["eso es todo", "nada más", "ya no"])
def test_closing_words_close_politely(consented_chat, typed):
    ana = consented_chat()
    ana.says("hola")
    body = texts(ana.says(typed))
    assert "¡Con gusto!" in body and "no te entendí" not in body


# --- Nuevo crédito: the pagaduría from ProAlto's list, the contact it will use ---------------------


def new_credit_until_pagaduria(consented_chat, wa_id="573209876555"):
    marta = consented_chat(wa_id, "Marta")
    marta.says("quiero un crédito")
    marta.says("los envío después")
    marta.says("Marta Pérez")
    marta.says("52123456")
    assert "pagaduría" in texts(marta.says("Medellín"))
    return marta


@pytest.mark.parametrize(
    "typed, chosen",
    [("colpensiones", "Colpensiones"), ("colpenciones", "Colpensiones"), ("fomag", "Fiduprevisora (FOMAG)")],
)
def test_the_pagaduria_is_chosen_from_the_list_with_fuzzy_matching(consented_chat, typed, chosen):
    marta = new_credit_until_pagaduria(consented_chat)
    marta.says(typed)
    marta.taps("contact_chat")
    body = texts(marta.taps("confirm_yes"))
    assert Ticket.objects.get().details["pagaduria"] == chosen
    # Chat chosen: the closing message says the advisor writes here, and nothing about calls.
    assert "te escribirá por este chat" in body and "llamar" not in body


A_WEEKDAY_MORNING = datetime(2027, 1, 12, 10, 0, tzinfo=BOGOTA)  # advisors at work: "open now"


def test_new_credit_ends_with_one_closing_message_saying_the_advisor_writes_here(consented_chat):
    with time_machine.travel(A_WEEKDAY_MORNING, tick=True):
        marta = new_credit_until_pagaduria(consented_chat)
        marta.says("Colpensiones")
        marta.taps("contact_chat")
        closing = marta.taps("confirm_yes")
    body = texts(closing)
    assert len(closing) == 1 and body.count("¡Gracias!") == 1
    assert body.count("te escribirá por este") == 1 and "en breve" not in body
    assert "\n\n" not in body  # no empty line where a sentence was left out


def test_renewal_ends_with_one_closing_message(consented_chat, portfolio):
    with time_machine.travel(A_WEEKDAY_MORNING, tick=True):
        gloria = at_renewal_offer(consented_chat)
        gloria.taps("renew_yes")
        gloria.sends_file(pdf_bytes("Octubre"), mime_type="application/pdf", filename="octubre.pdf")
        gloria.sends_file(pdf_bytes("Noviembre"), mime_type="application/pdf", filename="noviembre.pdf")
        closing = gloria.taps("docs_done")
    body = texts(closing)
    assert len(closing) == 1 and body.count("¡Gracias!") == 1
    assert body.count("te escribirá por este") == 1 and "en breve" not in body
    assert "\n\n" not in body  # no empty line where a sentence was left out


def test_an_unknown_pagaduria_shows_the_list_and_other_is_kept_as_typed(consented_chat):
    marta = new_credit_until_pagaduria(consented_chat)
    assert "No encontré esa pagaduría" in texts(marta.says("la empresa de mi cuñado"))
    rows = marta.offered()
    assert "Colpensiones" in rows.values() and rows["pagaduria_otra"] == "Otra pagaduría"
    assert "contacte" in texts(marta.taps(next(i for i, t in rows.items() if t == "Colpensiones")))
    marta.taps("time_morning")
    body = texts(marta.taps("confirm_yes"))
    assert Ticket.objects.get().details["pagaduria"] == "Colpensiones"
    assert "te llamará al número de este WhatsApp en la mañana" in body


def test_another_pagaduria_is_kept_as_typed_for_the_advisor(consented_chat):
    marta = new_credit_until_pagaduria(consented_chat)
    marta.says("la empresa de mi cuñado")
    assert "nombre de la entidad" in texts(marta.taps("pagaduria_otra"))
    assert "contacte" in texts(marta.says("Cooperativa Los Andes"))
    marta.taps("contact_chat")
    marta.taps("confirm_yes")
    assert Ticket.objects.get().details["pagaduria"] == "Cooperativa Los Andes"


@pytest.mark.parametrize(
    "typed",
    ["Secretaría de Educación de Cundinamarca", "secretaria educacion cundinamarca", "sec educacion cundinamrca"],
)
def test_a_listed_pagaduria_beyond_the_rows_shown_typed_after_other_is_taken_from_the_list(consented_chat, typed):
    marta = new_credit_until_pagaduria(consented_chat)
    marta.says("la de mi departamento")
    rows = marta.offered()
    assert "Secretaría de Educación de Cundinamarca" not in rows.values()  # beyond the list's first rows
    marta.taps("pagaduria_otra")

    assert "contacte" in texts(marta.says(typed))

    marta.taps("contact_chat")
    marta.taps("confirm_yes")
    assert Ticket.objects.get().details["pagaduria"] == "Secretaría de Educación de Cundinamarca"


def test_renewal_named_at_the_balance_detail_question_is_followed(consented_chat, portfolio):
    # The issue's example: "renobar credito" at "¿Quieres ver el detalle de tu saldo?".
    ana = consented_chat(ANA[0], "Ana")
    ana.says("paz y salvo")
    ana.says(ANA[1])
    assert "detalle de tu saldo" in texts(ana.says(ANA[2]))

    body = texts(ana.says("renobar credito"))

    assert "Responde *sí* o *no*" not in body and "No te entendí" not in body
    # Nothing collected would be lost: straight to Renovación, still validated (no cédula asked).
    assert "Todavía no es posible renovar tu crédito LIB-000123" in body and "cédula" not in body
    assert "necesitas tener pagado al menos el 50 % de las cuotas, y hoy llevas 27 de 60" in body  # "tú"
    assert ConversationSession.objects.get(contact__wa_id=ANA[0]).flow == "renovacion"


def test_the_re_ask_names_the_buttons_it_shows(consented_chat, portfolio):
    ana = consented_chat(ANA[0], "Ana")
    ana.says("paz y salvo")
    ana.says(ANA[1])
    ana.says(ANA[2])
    body = texts(ana.says("mmm ¿cómo así?"))
    assert "*Ver detalle*" in body and "*No, gracias*" in body and "Responde *sí* o *no*" not in body


# --- understanding: renewal and status phrasings ---------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["quiero otro crédito sobre el que tengo", "que me suban el monto", "quiero refinanciar mi crédito"]
)
def test_renewal_phrasings_that_mention_the_current_loan_are_renovacion(consented_chat, portfolio, typed):
    phone, cedula, issued = GLORIA
    gloria = consented_chat(phone, "Gloria")
    assert "cédula" in texts(gloria.says(typed))
    gloria.says(cedula)
    assert "renovación *preaprobada*" in texts(gloria.says(issued))


@pytest.mark.parametrize("typed", ["en qué etapa va mi trámite", "ya me aprobaron?"])
def test_stage_questions_in_any_wording_are_estado_de_solicitud(consented_chat, portfolio, typed):
    ana = consented_chat(ANA[0], "Ana")
    ana.says(typed)
    ana.says(ANA[1])
    assert "SOL-2026-0042" in texts(ana.says(ANA[2]))
