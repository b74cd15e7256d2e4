"""Leaving a flow half-way for another service the customer named: "¿dejamos esto y pasamos
a Renovación?". The engine (``_follow_the_customer``) comes here only when the flow has
collected answers that leaving would lose; otherwise it switches at once."""

from conversations.bot.flows import Flow, get_flow, register
from conversations.bot.flows.intake import yes_no


@register
class TopicSwitchFlow(Flow):
    name = "cambio_tema"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "ask": "Pregunta si deja lo que estaba haciendo",
    }

    def enter_ask(self, turn):
        saved = turn.data.get("_switch") or {}
        turn.say(
            "menu/switch_confirm.txt",
            current=turn.service_title(saved.get("flow")),
            target=turn.service_title(saved.get("target")),
        )

    def on_ask(self, turn):
        saved = turn.data.get("_switch") or {}
        answer = yes_no(turn.incoming, yes=("switch_yes",), no=("switch_no",))
        if answer is None:
            turn.say(
                "menu/switch_again.txt",
                current=turn.service_title(saved.get("flow")),
                target=turn.service_title(saved.get("target")),
            )
            turn.not_understood()
            return
        if answer:
            turn.start(saved.get("target") or "menu")
            return
        # Back where the customer was, with what they had answered; the step asks again.
        flow, step = saved.get("flow") or "menu", saved.get("step") or "start"
        turn.data.clear()
        turn.data.update(saved.get("data") or {})
        turn.returning = True
        turn.say("menu/switch_stay.txt", asks_again=hasattr(get_flow(flow), f"enter_{step}"))
        turn.next = (flow, step)
