"""Express, informed authorisation for data processing (Ley 1581 de 2012) before anything else.

Only an explicit "Acepto" (tapped, or typed as such) is consent; silence, a menu tap or
anything else is not. The exact text shown is stored with the answer.
"""

from consent.models import ConsentRecord, PolicyVersion
from consent.selectors import policy_current
from consent.services import consent_record
from conversations.engine import simplify
from conversations.flows import Flow, register
from conversations.replies import render

ASK = "consent/ask.txt"
ACCEPT_WORDS = {"acepto", "si acepto", "autorizo", "si autorizo", "acepto la politica", "si, acepto"}
DECLINE_WORDS = {"no acepto", "no autorizo", "rechazo", "no"}


@register
class ConsentFlow(Flow):
    name = "consentimiento"
    needs_consent = False

    def enter_start(self, turn):
        policy = policy_current()
        if policy is None:
            turn.say("consent/unavailable.txt")
            turn.end(offer_more=False, resolved=False)
            return
        rendered = render(ASK, {"policy": policy})
        turn.data.update(policy_id=policy.pk, shown=rendered.preview)
        turn.say(ASK, policy=policy)
        turn.goto("answer")

    def on_answer(self, turn):
        answer = _answer(turn.incoming)
        policy = PolicyVersion.objects.filter(pk=turn.data.get("policy_id")).first()
        if answer is None or policy is None:
            turn.say("consent/need_answer.txt", policy=policy or policy_current())
            if policy is None:
                turn.goto("start")
            return
        _record(turn, policy, answer)
        if answer == ConsentRecord.Answer.ACCEPTED:
            turn.say("consent/accepted.txt")
            turn.start("menu")
        else:
            turn.say("consent/declined.txt", policy=policy)
            turn.goto("declined")

    def on_declined(self, turn):
        choice = turn.incoming.choice
        if choice == "consent_review" or _answer(turn.incoming) == ConsentRecord.Answer.ACCEPTED:
            turn.data.clear()
            turn.goto("start")
            return
        if choice == "asesor":
            turn.goto("start", flow="asesor")
            return
        turn.say("consent/declined_reminder.txt")


def _answer(incoming) -> str | None:
    if incoming.choice == "consent_accept":
        return ConsentRecord.Answer.ACCEPTED
    if incoming.choice == "consent_decline":
        return ConsentRecord.Answer.DECLINED
    if incoming.type == "text":
        words = simplify(incoming.text)
        if words in ACCEPT_WORDS:
            return ConsentRecord.Answer.ACCEPTED
        if words in DECLINE_WORDS:
            return ConsentRecord.Answer.DECLINED
    return None


def _record(turn, policy, answer) -> None:
    consent_record(
        contact=turn.contact,
        policy=policy,
        text_shown=turn.data.get("shown") or render(ASK, {"policy": policy}).preview,
        answer=answer,
        inbound_message_id=turn.incoming.message_id,
        wa_message_id=turn.incoming.wa_message_id,
        answered_at=turn.incoming.sent_at,
    )
