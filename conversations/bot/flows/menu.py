"""The main menu: greets, lists the services, and routes taps, numbers and free text."""

import re
from datetime import timedelta

from django.conf import settings

from conversations.bot.engine import acknowledges, clear_request, recognise
from conversations.bot.flows import Flow, flow_for_intent, register
from conversations.bot.flows.base import MAIN_MENU
from conversations.bot.flows.intake import words, yes_no
from escalations.selectors import contact_ticket_open, ticket_queue_position
from proalto.colombia import BOGOTA

MENU = MAIN_MENU
# Intents the menu answers itself instead of starting a flow.
GREETING, GOODBYE = "menu", "despedida"
# "No" to "¿Hay algo más...?" in other words than intake's NO_WORDS.
NOTHING_MORE_WORDS = {"ninguna", "ninguno", "nada", "no nada", "asi esta bien", "estoy bien", "no por ahora"}


@register
class MenuFlow(Flow):
    name = "menu"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "choose": "Elige en el menú principal",
        "more": "Responde si necesita algo más",
    }
    intents = ("menu",)

    def enter_start(self, turn):
        _say_menu(turn)
        turn.goto("choose")

    def enter_goodbye(self, turn):
        """The customer has nothing more to ask ("eso es todo", "gracias, chao")."""
        turn.say("menu/goodbye.txt", part_of_day=part_of_day(turn.now))
        turn.end(offer_more=False)

    def on_choose(self, turn):
        self._route(turn, from_menu=True)

    def on_more(self, turn):
        """The answer to "¿Hay algo más en lo que pueda ayudarte?": a request is followed; a
        bare "sí" ("claro", "dale") shows the menu and a bare "no" ("no señor") says goodbye."""
        incoming = turn.incoming
        intent = recognise(incoming) if incoming.type == "text" and not incoming.choice else ""
        flow = flow_for_intent(intent) if intent else None
        if incoming.choice or (flow is not None and flow.name != self.name):
            self._route(turn, from_menu=True)
            return
        answer = False if words(incoming) in NOTHING_MORE_WORDS else yes_no(incoming)
        if answer is None:
            self._route(turn, from_menu=True)
        elif answer:
            _say_menu(turn)
            turn.goto("choose")
        else:
            turn.goto("goodbye")

    def enter_route(self, turn):
        """A message with no flow in progress."""
        self._route(turn, from_menu=False)

    def _route(self, turn, *, from_menu: bool):
        incoming = turn.incoming
        target = _chosen_flow(turn, incoming)
        if target:
            turn.forward(target)
            return
        intent = GOODBYE if incoming.choice == GOODBYE else recognise(incoming)
        if intent == GOODBYE:
            turn.goto("goodbye", flow=self.name)
            return
        if intent == GREETING:
            _say_menu(turn)
            turn.goto("choose", flow=self.name)
            return
        flow = flow_for_intent(intent)
        # While a case waits for an advisor, a loose mention ("el crédito es el LIB-…") is a
        # detail for the advisor, not a new request.
        loose = flow is not None and intent not in ("queja", "asesor") and not clear_request(incoming.text or "")
        waiting = contact_ticket_open(contact=turn.contact) if flow is None or loose else None
        if flow is not None and waiting is None:
            turn.forward("asesor", "complaint") if intent == "queja" else turn.forward(flow.name)
            return
        if waiting is not None:
            # The advisor reads the whole chat: the message is noted in the case, not "not understood".
            position = ticket_queue_position(ticket=waiting)
            turn.say("escalations/noted.txt", ticket=waiting, ack=acknowledges(incoming), position=position)
        elif acknowledges(incoming):
            _say_menu(turn)  # "ok", "👍": nothing asked, so the options again, no "no te entendí"
        else:
            turn.not_understood()
            turn.say("menu/not_understood.txt")
        turn.goto("choose", flow=self.name)


def _chosen_flow(turn, incoming) -> str | None:
    """A tapped menu row, or its number typed ("2", "opción 2")."""
    options = [row_id for row_id, _ in turn.options(MENU, name="")]
    if incoming.choice in options:
        return incoming.choice
    match = re.fullmatch(r"\s*(?:opci[oó]n\s*|#)?(\d{1,2})\s*[.)]?\s*", incoming.text or "")
    if match and 1 <= int(match.group(1)) <= len(options):
        return options[int(match.group(1)) - 1]
    return None


def _say_menu(turn) -> None:
    """The menu; the full greeting only on a session's first message (greet once)."""
    turn.say(MENU, name=_first_name(turn.contact.profile_name), greet=session_is_new(turn))


def session_is_new(turn) -> bool:
    """This message opens a session: the first ever, or the first after an idle gap."""
    last = turn.session.last_activity
    return last is None or turn.now - last > timedelta(minutes=settings.SESSION_IDLE_MINUTES)


def part_of_day(now) -> str:
    """ "dia", "tarde" or "noche" in Bogotá: a farewell fits the hour."""
    hour = now.astimezone(BOGOTA).hour
    if 5 <= hour < 12:
        return "dia"
    if 12 <= hour < 19:
        return "tarde"
    return "noche"


def _first_name(profile_name: str) -> str:
    return (profile_name or "").strip().split(" ")[0][:30]
