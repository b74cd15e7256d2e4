"""Express, informed authorisation for data processing (Ley 1581 de 2012) before anything else.

Only an explicit "Acepto" (tapped, or typed as such) is consent; silence, a menu tap or
anything else is not. The exact text shown is stored with the answer. The service the
customer asked for before answering (``PENDING_KEY``: a flow name, never the message) is
kept through a "No" (and through "menú" after it) and started after a later "Acepto" in the
same session; an expired session or "cancelar" forgets it. A "No acepto" typed where the
question was not on screen (the privacy menu, opened first) is answered as a decline.
"""

from django.conf import settings

from consent.models import ConsentRecord
from consent.selectors import contact_consent_outdated, policy_by_id, policy_current
from conversations.bot import effects
from conversations.bot.engine import PENDING_KEY, recognise, service_asked_for
from conversations.bot.flows import Flow, register
from conversations.messaging.replies import render
from proalto.text import simplify

ASK = "consent/ask.txt"
DECLINED = "consent/declined.txt"
# "Sí" answers the direct question "¿Nos autorizas...?", so it is express too.
ACCEPT_WORDS = {"si", "acepto", "si acepto", "autorizo", "si autorizo", "acepto la politica"}
DECLINE_WORDS = {"no acepto", "no autorizo", "rechazo", "no"}


@register
class ConsentFlow(Flow):
    name = "consentimiento"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "answer": "Responde a la autorización de datos",
        "declined": "Después de no autorizar",
    }
    needs_consent = False

    def enter_start(self, turn):
        policy = policy_current()
        if policy is None:
            turn.say("consent/unavailable.txt")
            turn.end(offer_more=False, resolved=False)
            return
        # Someone who accepted an older version is told the policy changed.
        updated = contact_consent_outdated(contact=turn.contact, policy=policy)
        rendered = render(ASK, {"policy": policy, "updated": updated})
        turn.data.update(policy_id=policy.pk, shown=rendered.preview)
        turn.say(ASK, policy=policy, updated=updated)
        turn.goto("answer")

    def on_answer(self, turn):
        answer = _answer(turn.incoming)
        policy = policy_by_id(policy_id=turn.data.get("policy_id") or 0)
        if answer is None and _wants_privacy(turn.incoming):
            # Reading the policy (or exercising a right) before answering is allowed.
            turn.start("privacidad")
            return
        if answer is None or policy is None:
            turn.say("consent/need_answer.txt", policy=policy or policy_current())
            if policy is None:
                turn.goto("start")
            return
        _record(turn, policy, answer)
        if answer == ConsentRecord.Answer.ACCEPTED:
            pending = turn.data.get(PENDING_KEY)
            turn.say("consent/accepted.txt", continuing=bool(pending))
            turn.start(pending or "menu")
        else:
            turn.say(DECLINED, policy=policy, retention_days=settings.UNCONSENTED_RETENTION_DAYS)
            turn.goto("declined")

    def enter_refused(self, turn):
        """ "No acepto" typed before the question was shown (in the privacy menu): what declining
        means, as after the question; the answers after it are the declined step's. Nothing is
        recorded: a record keeps the text the customer answered, and this one was not shown."""
        turn.say(DECLINED, policy=policy_current(), retention_days=settings.UNCONSENTED_RETENTION_DAYS)
        turn.goto("declined")

    def on_declined(self, turn):
        choice = turn.incoming.choice or _typed_option(turn, DECLINED)
        pending = turn.data.get(PENDING_KEY)
        if choice == "consent_review" or _answer(turn.incoming) == ConsentRecord.Answer.ACCEPTED:
            turn.data.clear()
            if pending:
                turn.data[PENDING_KEY] = pending
            turn.goto("start")
            return
        if choice == "asesor":
            turn.goto("start", flow="asesor")
            return
        if _wants_privacy(turn.incoming):
            turn.start("privacidad")
            return
        # Not acted on without consent; remembered (the first one asked) for a later "Acepto".
        asked_for = None if pending else service_asked_for(turn.incoming)
        if asked_for:
            turn.data[PENDING_KEY] = asked_for
        turn.say("consent/declined_reminder.txt")


def declines(incoming) -> bool:
    """Whether a message says no to the authorisation ("No acepto", "no autorizo", "no")."""
    return incoming is not None and _answer(incoming) == ConsentRecord.Answer.DECLINED


def _answer(incoming) -> str | None:
    if incoming.choice == "consent_accept":
        return ConsentRecord.Answer.ACCEPTED
    if incoming.choice == "consent_decline":
        return ConsentRecord.Answer.DECLINED
    if incoming.type == "text":
        words = " ".join(simplify(incoming.text).split())
        if words in ACCEPT_WORDS:
            return ConsentRecord.Answer.ACCEPTED
        if words in DECLINE_WORDS:
            return ConsentRecord.Answer.DECLINED
        tokens = words.split()
        # "Acepto la política de privacidad", "sí, autorizo el tratamiento": still express.
        head = tokens[1:] if tokens[:1] == ["si"] else tokens
        if "no" not in tokens and head[:1] in (["acepto"], ["autorizo"]):
            return ConsentRecord.Answer.ACCEPTED
        if tokens[:2] in (["no", "acepto"], ["no", "autorizo"]):
            return ConsentRecord.Answer.DECLINED
    return None


def _typed_option(turn, template: str) -> str:
    """The id of an option whose title the user typed ("hablar con asesor")."""
    if turn.incoming.type != "text":
        return ""
    typed = simplify(turn.incoming.text)
    for option_id, title in turn.options(template, policy=None):
        if typed == simplify(title):
            return option_id
    return ""


def _wants_privacy(incoming) -> bool:
    return incoming.type == "text" and bool(incoming.text.strip()) and recognise(incoming) == "privacidad"


def _record(turn, policy, answer) -> None:
    shown = (
        turn.data.get("shown")
        or render(
            ASK, {"policy": policy, "updated": contact_consent_outdated(contact=turn.contact, policy=policy)}
        ).preview
    )
    turn.effect(
        effects.ConsentRecord(policy_id=policy.pk, text_shown=shown, answer=answer, answered_at=turn.incoming.sent_at)
    )
