"""Handing the chat to a human advisor: asked for, not understood twice, or a complaint."""

from conversations.bot import effects, intents
from conversations.bot.engine import recognise
from conversations.bot.flows import Flow, register


@register
class AdvisorFlow(Flow):
    name = "asesor"
    intents = ("asesor", "queja")
    needs_consent = False  # a person who declines consent may still talk to a human

    def enter_start(self, turn):
        turn.escalate("asked_human")
        turn.end(offer_more=False, resolved=False)

    def enter_misunderstood(self, turn):
        turn.escalate("misunderstood")
        turn.end(offer_more=False, resolved=False)

    def enter_complaint(self, turn):
        fraud = intents.is_fraud(turn.incoming.text if turn.incoming else "")
        turn.escalate("fraud" if fraud else "complaint")
        turn.end(offer_more=False, resolved=False)

    def enter_core_unavailable(self, turn):
        # ProAlto's core did not answer in time (engine._step): say so, offer an advisor.
        turn.say("portfolio/unavailable.txt")
        turn.end(offer_more=False, resolved=False)

    # While an advisor holds the chat the bot is quiet; "menú" lands here.
    def enter_offer_return(self, turn):
        if turn.incoming and turn.incoming.choice == "volver_al_bot":
            turn.effect(effects.TicketRelease())
            turn.start("menu")
            return
        if turn.incoming and turn.incoming.choice == "seguir_asesor":
            turn.say("escalations/stay_with_advisor.txt")
            turn.end(offer_more=False, resolved=False)
            return
        turn.say("escalations/offer_return.txt")
        turn.end(offer_more=False, resolved=False)


__all__ = ["AdvisorFlow", "recognise"]
