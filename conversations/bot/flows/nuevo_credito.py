"""Nuevo crédito: a prospect learns the requirements, sends documents in the chat, leaves
their contact data (one validated question at a time), confirms a summary, and the
application is recorded in recepción (followed from this chat in "Estado de solicitud")
and goes to a commercial advisor as a "new_application" ticket that names it.

No identity validation: the person may not be a customer. What they type lives in the
session only while the flow runs; the ticket's details are where the advisor reads it.
"""

from __future__ import annotations

import re
import secrets

from rapidfuzz import fuzz, process, utils

from conversations.bot import effects
from conversations.bot.flows import Flow, register
from conversations.bot.flows.intake import document_receive, words, yes_no
from credits.selectors import pagaduria_names
from proalto.colombia import BOGOTA
from proalto.text import simplify

# Contact data asked for, in order: (step, data key).
FIELDS = ("full_name", "cedula", "city", "pagaduria", "best_time")
FIX_CHOICES = {f"fix_{field}": field for field in FIELDS}
FIX_WORDS = {
    "full_name": {"nombre", "mi nombre", "el nombre", "nombre completo", "1"},
    "cedula": {"cedula", "la cedula", "mi cedula", "documento", "numero de cedula", "2"},
    "city": {"ciudad", "la ciudad", "mi ciudad", "3"},
    "pagaduria": {"pagaduria", "la pagaduria", "empresa", "empleador", "pagador", "4"},
    "best_time": {"horario", "hora", "la hora", "el horario", "hora de llamada", "contacto", "llamada", "5"},
}
BEST_TIMES = {
    "manana": {"manana", "en la manana", "por la manana", "mananas", "am", "a m", "1"},
    "tarde": {"tarde", "en la tarde", "por la tarde", "tardes", "pm", "p m", "2"},
    "cualquier_hora": {"cualquier hora", "a cualquier hora", "cualquiera", "cualquier momento", "indiferente", "3"},
    # No call at all: the advisor writes in this chat.
    "chat": {"chat", "por chat", "por este chat", "por aqui", "whatsapp", "por whatsapp", "escribanme", "mensaje"},
}
BEST_TIME_CHOICES = {
    "time_morning": "manana",
    "time_afternoon": "tarde",
    "time_any": "cualquier_hora",
    "contact_chat": "chat",
}

_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?$")
_CEDULA = re.compile(r"^[1-9]\d{4,9}$")
_PLACE = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")


def clean_full_name(text: str) -> str | None:
    """A person's full name: letters only, at least two words; None if it is not one."""
    parts = (text or "").split()
    if len(parts) < 2 or len(" ".join(parts)) > 100 or not all(_NAME_WORD.match(p) for p in parts):
        return None
    name = " ".join(parts)
    return name.title() if name.islower() or name.isupper() else name


def clean_cedula(text: str) -> str | None:
    """5 to 10 digits; the dots, commas and spaces people type are ignored."""
    digits = re.sub(r"[\s.,-]", "", text or "")
    return digits if _CEDULA.match(digits) else None


def clean_city(text: str) -> str | None:
    city = " ".join((text or "").split())
    return city if 3 <= len(city) <= 60 and _PLACE.match(city) else None


def clean_pagaduria(text: str) -> str | None:
    value = " ".join((text or "").split())
    letters = sum(ch.isalpha() for ch in value)
    return value if 2 <= len(value) <= 120 and letters >= 2 else None


def best_time_of(incoming) -> str | None:
    if incoming.choice in BEST_TIME_CHOICES:
        return BEST_TIME_CHOICES[incoming.choice]
    text = words(incoming)
    for value, typed in BEST_TIMES.items():
        if text in typed:
            return value
    return None


CLEANERS = {"full_name": clean_full_name, "cedula": clean_cedula, "city": clean_city, "pagaduria": clean_pagaduria}
# How close a typed name must be to one of ProAlto's pagadurías ("colpensiones",
# "fomag", "policia", "educacion cundinamarca") to be taken as it, and how far ahead of the
# next one. Token-set similarity: the words typed are read against the name's words, so a
# part of the name counts ("fomag") but shared filler words ("la de mi departamento") do not.
PAGADURIA_MIN_SCORE = 80
PAGADURIA_MIN_LEAD = 3
PAGADURIA_OTHER = "pagaduria_otra"


def pagaduria_match(typed: str, names: list[str]) -> str | None:
    """The pagaduría of ProAlto's list the text names (with typos), or None; a text that
    names several about equally well ("secretaría de educación", "nacional") is no match."""
    query = simplify(typed or "")
    if len(query) < 3:
        return None
    choices = {name: simplify(name) for name in names}
    found = process.extract(
        query,
        choices,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=PAGADURIA_MIN_SCORE,
        limit=2,
    )
    if not found or (len(found) > 1 and found[0][1] - found[1][1] < PAGADURIA_MIN_LEAD):
        return None
    return found[0][2]


@register
class NewApplicationFlow(Flow):
    name = "nuevo_credito"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "documents": "Envía los documentos",
        "full_name": "Escribe el nombre completo",
        "cedula": "Escribe la cédula",
        "city": "Escribe la ciudad",
        "pagaduria": "Elige la pagaduría",
        "pagaduria_other": "Escribe otra pagaduría",
        "best_time": "Elige la mejor hora para llamarle",
        "summary": "Revisa el resumen de sus datos",
        "fix": "Elige el dato que corrige",
    }
    intents = ("nuevo_credito",)
    media_steps = ("documents",)
    open_text_steps = ("full_name", "city", "pagaduria_other")

    def enter_start(self, turn):
        turn.data["documents"] = []
        turn.say("nuevo_credito/requirements.txt")
        turn.goto("documents")

    def on_documents(self, turn):
        if document_receive(turn, copy="nuevo_credito", minimum=1, allow_later=True):
            turn.goto(FIELDS[0])

    # --- contact data, one question each ------------------------------------------------------
    def enter_full_name(self, turn):
        turn.say("nuevo_credito/ask_full_name.txt")

    def on_full_name(self, turn):
        self._field(turn, "full_name")

    def enter_cedula(self, turn):
        turn.say("nuevo_credito/ask_cedula.txt")

    def on_cedula(self, turn):
        self._field(turn, "cedula")

    def enter_city(self, turn):
        turn.say("nuevo_credito/ask_city.txt")

    def on_city(self, turn):
        self._field(turn, "city")

    def enter_pagaduria(self, turn):
        turn.say("nuevo_credito/ask_pagaduria.txt")

    def on_pagaduria(self, turn):
        names = pagaduria_names()
        incoming = turn.incoming
        if incoming.choice == PAGADURIA_OTHER or words(incoming) in ("otra", "ninguna", "no esta", "otra pagaduria"):
            turn.say("nuevo_credito/ask_pagaduria_other.txt")
            turn.goto("pagaduria_other")
            return
        chosen = _listed(incoming.choice, names) or pagaduria_match(
            incoming.text if incoming.type == "text" else "", names
        )
        if chosen is None:
            turn.say("nuevo_credito/invalid_pagaduria.txt", names=names[:9], other=PAGADURIA_OTHER)
            turn.not_understood()
            return
        turn.data["pagaduria"] = chosen
        self._next(turn, "pagaduria")

    def on_pagaduria_other(self, turn):
        """A pagaduría not among the rows shown: one of ProAlto's list further down (the list
        shows the first rows only) is taken from the list; anything else is kept as typed,
        for the advisor to check."""
        incoming = turn.incoming
        listed = pagaduria_match(incoming.text, pagaduria_names()) if incoming.type == "text" else None
        if listed is None:
            self._field(turn, "pagaduria")
            return
        turn.data["pagaduria"] = listed
        self._next(turn, "pagaduria")

    def enter_best_time(self, turn):
        # A call needs a phone: a customer who writes with a username only is answered here.
        turn.say("nuevo_credito/ask_best_time.txt", can_call=bool(turn.contact.wa_id))

    def on_best_time(self, turn):
        value = best_time_of(turn.incoming)
        if value is None or (value != "chat" and not turn.contact.wa_id):
            turn.say("nuevo_credito/invalid_best_time.txt", can_call=bool(turn.contact.wa_id))
            turn.not_understood()
            return
        turn.data["best_time"] = value
        self._next(turn, "best_time")

    def _field(self, turn, field: str) -> None:
        value = CLEANERS[field](turn.incoming.text if turn.incoming.type == "text" else "")
        if value is None:
            turn.say(f"nuevo_credito/invalid_{field}.txt")
            turn.not_understood()
            return
        turn.data[field] = value
        self._next(turn, field)

    def _next(self, turn, field: str) -> None:
        position = FIELDS.index(field)
        if turn.data.get("correcting") or position == len(FIELDS) - 1:
            turn.goto("summary")
        else:
            turn.goto(FIELDS[position + 1])

    # --- summary, corrections, hand-over -----------------------------------------------------
    def enter_summary(self, turn):
        turn.data["correcting"] = False
        turn.say("nuevo_credito/summary.txt", **_summary(turn.data))

    def on_summary(self, turn):
        answer = yes_no(turn.incoming, yes=("confirm_yes",), no=("confirm_fix",))
        if answer is None and words(turn.incoming) in ("corregir", "corrijo", "cambiar", "editar", "hay un error"):
            answer = False
        if answer is None:
            turn.say("nuevo_credito/summary_again.txt", **_summary(turn.data))
            turn.not_understood()
            return
        turn.goto("finish" if answer else "fix")

    def enter_fix(self, turn):
        turn.say("nuevo_credito/ask_fix.txt")

    def on_fix(self, turn):
        incoming = turn.incoming
        field = FIX_CHOICES.get(incoming.choice)
        if field is None:
            text = words(incoming)
            field = next((name for name, typed in FIX_WORDS.items() if text in typed), None)
        if field is None:
            turn.say("nuevo_credito/invalid_fix.txt")
            turn.not_understood()
            return
        turn.data["correcting"] = True
        turn.goto(field)

    def enter_finish(self, turn):
        data = turn.data
        details = {field: data.get(field, "") for field in FIELDS}
        details["documents"] = list(data.get("documents", []))
        number = lead_number_new(turn.now)
        # The application first (in recepción, followed from this chat), then the ticket that
        # links to it; one closing message, the ticket's own (escalations/opened.txt), says
        # the number and what happens next.
        turn.effect(
            effects.ApplicationLeadCreate(
                number=number,
                cedula=details["cedula"],
                full_name=details["full_name"],
                details={key: details[key] for key in ("city", "pagaduria", "best_time", "documents")},
            )
        )
        turn.escalate("new_application", application=number, **details)
        turn.end(offer_more=False)


LEAD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread


def lead_number_new(now) -> str:
    """The number of an application taken in the chat: "WA-2026-K7M2Q9XD", with the year in
    Colombia (`now` is the engine's UTC clock: New Year's Eve from 7 p. m. is still 2026)."""
    return f"WA-{now.astimezone(BOGOTA):%Y}-" + "".join(secrets.choice(LEAD_ALPHABET) for _ in range(8))


def _listed(choice: str, names: list[str]) -> str | None:
    """The pagaduría a tapped row ("pagaduria_3") stands for."""
    prefix = "pagaduria_"
    if not choice.startswith(prefix) or not choice[len(prefix) :].isdigit():
        return None
    index = int(choice[len(prefix) :])
    return names[index] if index < len(names) else None


def _summary(data: dict) -> dict:
    return {field: data.get(field, "") for field in FIELDS} | {"documents": len(data.get("documents", []))}
