"""The main menu: greets, lists the services, and routes taps, numbers and free text."""

import re

from conversations.bot.engine import recognise
from conversations.bot.flows import Flow, flow_for_intent, register

MENU = "menu/main.txt"
# Intents the menu answers itself instead of starting a flow.
GREETING, GOODBYE = "menu", "despedida"


@register
class MenuFlow(Flow):
    name = "menu"
    intents = ("menu",)

    def enter_start(self, turn):
        turn.say(MENU, name=_first_name(turn.contact.profile_name))
        turn.goto("choose")

    def on_choose(self, turn):
        self._route(turn, from_menu=True)

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
            turn.say("menu/goodbye.txt")
            turn.end(offer_more=False)
            return
        if intent == GREETING:
            turn.say(MENU, name=_first_name(turn.contact.profile_name))
            turn.goto("choose", flow=self.name)
            return
        flow = flow_for_intent(intent)
        if flow is not None:
            turn.forward("asesor", "complaint") if intent == "queja" else turn.forward(flow.name)
            return
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


def _first_name(profile_name: str) -> str:
    return (profile_name or "").strip().split(" ")[0][:30]
