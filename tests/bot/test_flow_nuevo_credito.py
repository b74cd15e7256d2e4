"""Nuevo crédito: requirements, documents in the chat (or later), contact data one validated
question at a time, a summary that can be corrected, and a "new_application" hand-over."""

import re
from datetime import UTC, datetime

import pytest

from conversations.bot import effects
from conversations.bot.flows import Incoming
from conversations.bot.flows.nuevo_credito import (
    best_time_of,
    clean_cedula,
    clean_city,
    clean_full_name,
    clean_pagaduria,
    lead_number_new,
    pagaduria_match,
)
from credits.pagadurias import PAGADURIAS
from proalto.colombia import BOGOTA

ANSWERS = {"full_name": "ana lucía gómez", "cedula": "1.020.304.050", "city": "Medellín", "pagaduria": "Colpensiones"}
SUMMARY = {
    "full_name": "Ana Lucía Gómez",
    "cedula": "1020304050",
    "city": "Medellín",
    "pagaduria": "Colpensiones",
    "best_time": "manana",
    "documents": 1,
}


@pytest.mark.parametrize(
    "typed, name",
    [
        ("ana lucía gómez", "Ana Lucía Gómez"),
        ("JUAN PÉREZ", "Juan Pérez"),
        ("María d'Alessandro", "María d'Alessandro"),
        ("Ana", None),
        ("Ana 123", None),
        ("", None),
        ("a " * 60, None),
    ],
)
def test_clean_full_name(typed, name):
    assert clean_full_name(typed) == name


@pytest.mark.parametrize(
    "typed, cedula",
    [("1.020.304.050", "1020304050"), ("79 456 123", "79456123"), ("0123456", None), ("123", None), ("abc", None)],
)
def test_clean_cedula(typed, cedula):
    assert clean_cedula(typed) == cedula


@pytest.mark.parametrize(
    "typed, city", [("Bogotá D.C.", "Bogotá D.C."), ("  San   Andrés ", "San Andrés"), ("12345", None), ("Al", None)]
)
def test_clean_city(typed, city):
    assert clean_city(typed) == city


@pytest.mark.parametrize(
    "typed, pagaduria",
    [("FOPEP", "FOPEP"), ("Secretaría de Educación", "Secretaría de Educación"), ("1", None), ("12", None)],
)
def test_clean_pagaduria(typed, pagaduria):
    assert clean_pagaduria(typed) == pagaduria


@pytest.mark.parametrize(
    "incoming, value",
    [
        (Incoming(1, "w", "interactive", choice="time_afternoon"), "tarde"),
        (Incoming(1, "w", "text", text="Por la mañana"), "manana"),
        (Incoming(1, "w", "text", text="3"), "cualquier_hora"),
        (Incoming(1, "w", "text", text="cuando sea"), None),
    ],
)
def test_best_time_of(incoming, value):
    assert best_time_of(incoming) == value


@pytest.fixture
def applying(chat):
    ana = chat()
    said = ana.says("quiero un crédito nuevo")
    assert said.sequence == ["nuevo_credito/requirements.txt"]
    assert said.at == ("nuevo_credito", "documents") and said.data == {"documents": []}
    return ana


@pytest.fixture
def at_summary(applying):
    applying.sends_file(101)
    applying.says("listo")
    for field in ("full_name", "cedula", "city", "pagaduria"):
        applying.says(ANSWERS[field])
    said = applying.taps("time_morning")
    assert said.sequence == ["nuevo_credito/summary.txt"]
    assert said.context("nuevo_credito/summary.txt") == SUMMARY
    return applying


def test_a_document_is_received_and_counted(applying):
    said = applying.sends_file(101)

    assert said.sequence == ["nuevo_credito/document_received.txt"]
    assert said.context("nuevo_credito/document_received.txt") == {"count": 1, "missing": 0, "allow_later": True}
    assert said.at == ("nuevo_credito", "documents") and said.data["documents"] == [101]


def test_done_without_documents_says_one_is_missing(applying):
    said = applying.says("listo")

    assert said.sequence == ["nuevo_credito/documents_missing.txt"]
    assert said.at == ("nuevo_credito", "documents")


@pytest.mark.parametrize("answer", ["[docs_later]", "los envío después"])
def test_documents_can_come_later_and_the_data_is_asked(applying, answer):
    said = applying.answers(answer)

    assert said.sequence == ["nuevo_credito/ask_full_name.txt"]
    assert said.at == ("nuevo_credito", "full_name") and said.data["documents"] == []


def test_the_contact_data_is_asked_one_question_at_a_time(applying):
    applying.sends_file(101)
    asked = [applying.says("listo").templates]
    for field in ("full_name", "cedula", "city", "pagaduria"):
        asked.append(applying.says(ANSWERS[field]).templates)

    assert asked == [
        ["nuevo_credito/ask_full_name.txt"],
        ["nuevo_credito/ask_cedula.txt"],
        ["nuevo_credito/ask_city.txt"],
        ["nuevo_credito/ask_pagaduria.txt"],
        ["nuevo_credito/ask_best_time.txt"],
    ]


@pytest.mark.parametrize(
    "step, typed",
    [
        ("full_name", "Ana"),
        ("cedula", "mi cédula"),
        ("city", "12345"),
        ("pagaduria", "1"),
        ("best_time", "cuando sea"),
    ],
)
def test_an_invalid_answer_is_asked_again(chat, step, typed):
    said = chat().at("nuevo_credito", step, documents=[]).says(typed)

    assert said.sequence == [f"nuevo_credito/invalid_{step}.txt"]
    assert said.at == ("nuevo_credito", step) and said.session.misunderstandings == 1


def test_a_file_while_a_question_is_asked_is_not_an_answer(chat):
    said = chat().at("nuevo_credito", "full_name", documents=[]).sends("image")

    assert said.sequence == ["documents/not_expected.txt"]


@pytest.mark.parametrize(
    "now, year",
    [
        # The engine's clock is UTC: New Year's Eve from 7 p. m. in Bogotá is already 2027 there.
        (datetime(2027, 1, 1, 4, 30, tzinfo=UTC), "2026"),
        (datetime(2027, 1, 1, 5, 0, tzinfo=UTC), "2027"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=BOGOTA), "2026"),
    ],
)
def test_the_lead_number_carries_the_year_in_colombia(now, year):
    assert lead_number_new(now).startswith(f"WA-{year}-")


def test_confirming_hands_the_application_to_an_advisor(at_summary):
    said = at_summary.taps("confirm_yes")

    [lead] = said.effects
    assert said.sequence == [lead]  # one closing message: the ticket's (escalations/opened.txt)
    assert re.fullmatch(r"WA-2026-[A-HJKMNP-Z2-9]{8}", lead.number)
    assert lead == effects.ApplicationLeadCreate(
        number=lead.number,
        cedula="1020304050",
        full_name="Ana Lucía Gómez",
        details={"city": "Medellín", "pagaduria": "Colpensiones", "best_time": "manana", "documents": [101]},
    )
    assert said.escalation.reason == "new_application"
    assert said.escalation.details == {
        "application": lead.number,
        "full_name": "Ana Lucía Gómez",
        "cedula": "1020304050",
        "city": "Medellín",
        "pagaduria": "Colpensiones",
        "best_time": "manana",
        "documents": [101],
    }
    assert said.at == ("", "") and said.data == {}
    assert said.resolved_flow == "nuevo_credito"


@pytest.mark.parametrize("answer", ["[confirm_fix]", "corregir", "no"])
def test_a_field_can_be_corrected_and_the_summary_comes_back(at_summary, answer):
    said = at_summary.answers(answer)
    assert said.sequence == ["nuevo_credito/ask_fix.txt"]

    assert at_summary.says("la ciudad").sequence == ["nuevo_credito/ask_city.txt"]
    said = at_summary.says("Cali")

    assert said.sequence == ["nuevo_credito/summary.txt"]
    assert said.context("nuevo_credito/summary.txt") == SUMMARY | {"city": "Cali"}
    assert said.data["correcting"] is False


def test_a_tapped_field_to_fix_asks_for_it(at_summary):
    at_summary.taps("confirm_fix")

    said = at_summary.taps("fix_cedula")

    assert said.sequence == ["nuevo_credito/ask_cedula.txt"]
    assert said.at == ("nuevo_credito", "cedula") and said.data["correcting"] is True


def test_an_unknown_field_to_fix_is_asked_again(at_summary):
    at_summary.taps("confirm_fix")

    said = at_summary.says("todo")

    assert said.sequence == ["nuevo_credito/invalid_fix.txt"]
    assert said.at == ("nuevo_credito", "fix")


def test_an_unclear_answer_to_the_summary_shows_it_again(at_summary):
    said = at_summary.says("¿y cuánto me prestan?")

    assert said.sequence == ["nuevo_credito/summary_again.txt"]
    assert said.context("nuevo_credito/summary_again.txt") == SUMMARY
    assert said.at == ("nuevo_credito", "summary")


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("secretaria educacion cundinamarca", "Secretaría de Educación de Cundinamarca"),  # on ProAlto's list
        ("colpenciones", "Colpensiones"),
        ("Cooperativa  Los Andes", "Cooperativa Los Andes"),  # not on it: as typed, for the advisor
        ("secretaría de educación", "secretaría de educación"),  # several equally close: as typed
    ],
)
def test_after_other_a_listed_pagaduria_is_taken_from_the_list(chat, typed, kept):
    said = chat().at("nuevo_credito", "pagaduria_other", documents=[]).says(typed)

    assert said.sequence == ["nuevo_credito/ask_best_time.txt"]
    assert said.data["pagaduria"] == kept


@pytest.mark.parametrize(
    "typed, chosen",
    [
        ("colpenciones", "Colpensiones"),
        ("fomag", "Fiduprevisora (FOMAG)"),
        ("policia", "Policía Nacional"),
        ("educacion bogota", "Secretaría de Educación de Bogotá"),
        ("sec educacion cundinamrca", "Secretaría de Educación de Cundinamarca"),
        # Several about equally close, or none: no guess (the list is shown, or it is kept as typed).
        ("secretaria de educacion", None),
        ("nacional", None),
        ("la de mi departamento", None),
        ("la empresa de mi cuñado", None),
        ("Cooperativa Los Andes", None),
    ],
)
def test_pagaduria_match(typed, chosen):
    assert pagaduria_match(typed, sorted(PAGADURIAS)) == chosen


@pytest.mark.parametrize(
    "step, typed, reason",
    [
        ("full_name", "quiero una persona", "asked_human"),
        ("city", "me llamaron de ProAlto pidiendo plata", "fraud"),
        ("pagaduria_other", "necesito hablar con un asesor", "asked_human"),
        ("full_name", "quiero poner una queja", "complaint"),
    ],
)
def test_a_step_taking_any_text_does_not_store_a_request_for_a_person(chat, step, typed, reason):
    said = chat().at("nuevo_credito", step, documents=[], full_name="Marta Pérez").says(typed)

    assert said.escalation.reason == reason
    assert said.at == ("", "") and said.data == {}


@pytest.mark.parametrize(
    "step, typed",
    [("full_name", "María Asesora López"), ("pagaduria_other", "Agentes Asociados"), ("city", "Santa Rosa de Cabal")],
)
def test_names_that_look_like_requests_are_still_answers(chat, step, typed):
    said = chat().at("nuevo_credito", step, documents=[]).says(typed)

    assert said.escalation is None
    assert said.data[step if step != "pagaduria_other" else "pagaduria"] == typed
