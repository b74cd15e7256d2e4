"""The conversation engine: one inbound message in, replies and a new session state out.

The caller (``conversations.bot.inbox``) holds the session row lock and the transaction;
the engine decides, and returns what to say and which effects to apply. It does no I/O
of its own: free text is read by the local recogniser unless the worker recognised it
(possibly with the LLM) before taking the lock. Order of precedence for a message:

1. an advisor holds the chat: stay quiet (only "menú" offers to come back to the bot);
2. an idle session expired: forget the old flow, greet briefly, read the message fresh;
3. no consent for the policy in force: the consent flow comes first;
4. global words: "menú"/"inicio", "cancelar"/"salir", "asesor";
5. the current flow's step handles the answer;
6. with no flow: a tapped menu row, a menu number or free text picks the flow.
"""

from __future__ import annotations

import functools
import logging
import re
from datetime import timedelta

from django.conf import settings

from consent.selectors import contact_has_consent
from conversations.bot import intents
from conversations.bot.effects import Effect
from conversations.bot.flows import FLOWS, Incoming, Turn, flow_exists, flow_for_intent, get_flow
from conversations.bot.flows.base import Escalation, Reply
from credits.selectors import PortfolioUnavailable
from proalto.text import simplify

logger = logging.getLogger(__name__)

MENU_FLOW = "menu"
CONSENT_FLOW = "consentimiento"
ADVISOR_FLOW = "asesor"
SWITCH_FLOW = "cambio_tema"
MORE_STEP = "more"  # the menu's step after "¿Hay algo más en lo que pueda ayudarte?"
PENDING_KEY = "pending_flow"  # in the consent flow's data: the service asked for before consent
MAX_CHAINED_STEPS = 12

MENU_WORDS = {"menu", "inicio", "volver al menu", "menu principal", "volver"}
CANCEL_WORDS = {"cancelar", "salir", "cancela", "cancelo", "terminar"}
HUMAN_WORDS = {"asesor", "agente", "humano", "persona"}
# A person asked for, in a sentence ("pásame con alguien", "necesito ayuda humana").
HUMAN_HINT = re.compile(
    r"\b(asesor\w*|agente|human\w*|persona\w*|alguien|funcionari\w*|operador\w*|ejecutiv\w*|senorita|"
    r"llam(en|e|ar|ada)|atien\w+|comuni\w+)\b"
)
# Closing talk in a sentence: goodbyes, "eso es todo". A bare "gracias" inside a step is
# politeness, not a goodbye: the step goes on.
CLOSING_HINT = re.compile(
    r"\b(chao|adios|bye|hasta luego|hasta pronto|nos vemos|nos hablamos|eso es todo|es todo|eso era todo|"
    r"nada mas|ya no)\b"
)
# Words that make a sentence a request ("quiero una persona", "quiero poner una queja"):
# at a step that takes any text as its answer, only such a sentence is read as a request.
REQUEST_CUE = re.compile(
    r"\b(quiero|quisiera|necesito|deseo|hablar|pasame|pasenme|comunicame|comuniquenme|poner|pongo|tengo)\b"
)
# A message that only acknowledges ("ok", "jajaja", "👍"): no request, so no "no te entendí"
# (two of those would hand a thumbs-up to an advisor).
ACK_WORDS = frozenset(
    """ok oka okey okay okis oki vale bueno bien si sii listo dale entendido entiendo perfecto super
    genial excelente chevere bacano aja ya mmm hmm umm de una gracias""".split()
)
LAUGHTER = re.compile(r"(?:[jh][aeiou]){2,}h?|[jh]a|xd+|lol")
# Local confidence of a clear request for another service (a named service, not a vague question).
CLEAR_REQUEST = 0.95
# A change of mind announced in so many words ("me equivoqué, mejor quiero el paz y salvo",
# "ah no, lo que quiero es saber el saldo") is clear at a lower confidence: the words around
# the service's name dilute it, not doubt.
SWITCH_CUE = re.compile(
    r"\b(quiero|quisiera|necesito|deseo|prefiero|mejor|primero|mas bien|en realidad|olvid\w*|equivoq\w*|"
    r"cambiemos|cambiar de tema|otra cosa|lo que (quiero|necesito))\b"
)
CUED_REQUEST = 0.75
# Questions in one flow that the recogniser files under the other (rates, amounts).
RELATED_FLOWS = {"renovacion": ("nuevo_credito",), "nuevo_credito": ("renovacion",)}


def global_command(incoming: Incoming) -> str | None:
    if incoming.choice in ("menu", "cancelar", "asesor"):
        return incoming.choice
    words = " ".join(simplify(incoming.text).split())
    if words in MENU_WORDS:
        return "menu"
    if words in CANCEL_WORDS:
        return "cancelar"
    if words in HUMAN_WORDS:
        return "asesor"
    return None


class Outcome:
    """What the engine decided for one message."""

    def __init__(self):
        self.replies: list[Reply | Effect] = []  # in order
        self.escalation: Escalation | None = None
        self.resolved_flow: str | None = None
        # (text, flow, step) of typed messages no step understood: kept masked for supervisors.
        self.unrecognised: list[tuple[str, str, str]] = []


def handle(*, session, contact, incoming: Incoming, now, advisor_holds_chat: bool) -> Outcome:
    outcome = Outcome()
    command = global_command(incoming) if incoming.type in ("text", "interactive", "button") else None
    run = functools.partial(_run, session, contact, incoming, now, outcome)

    if session.flow and not flow_exists(session.flow):
        # A flow renamed or removed by a deploy: its sessions start over at the menu instead
        # of failing on every message.
        logger.warning("session in unknown flow %s:%s; back to the menu", session.flow, session.step)
        _reset(session)
    if advisor_holds_chat:
        if command == "menu" or incoming.choice in ("volver_al_bot", "seguir_asesor"):
            run(start=("asesor", "offer_return"))
        return outcome
    _expire_if_idle(session, now, outcome)
    if command != "asesor" and not contact_has_consent(contact=contact):
        _without_consent(session, incoming, command, run)
    elif command is not None:
        _command(session, command, outcome, run)
    elif not _refused_media(incoming, outcome):
        _route(session, incoming, run)
    return outcome


def _expire_if_idle(session, now, outcome: Outcome) -> None:
    """An idle session forgets its flow and validated identity; the customer is told."""
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    waiting = session.flow and (session.flow, session.step) != (MENU_FLOW, MORE_STEP)
    if session.last_activity and now - session.last_activity > idle and (waiting or session.validated_customer_id):
        _reset(session)
        outcome.replies.append(Reply(template="menu/expired.txt"))


def _without_consent(session, incoming: Incoming, command: str | None, run) -> None:
    """Only consent-free flows (reading the policy, the consent question) run without consent."""
    flow = get_flow(session.flow) if session.flow else None
    if flow is not None and not flow.needs_consent and command is None:
        run()
        return
    open_flow = _consent_free_flow(incoming) if command is None else None
    if command is None and open_flow is None:
        pending = _pending_request(session, incoming)
    elif command == "menu":
        # "menú" shows the question again (no menu without consent): the request made before
        # it is still what the customer came for. "cancelar" forgets it.
        pending = _kept_request(session)
    else:
        pending = None
    _reset(session)
    if pending:
        # The request that met the consent question is kept (never acted on) until "Acepto".
        session.flow, session.data = CONSENT_FLOW, {PENDING_KEY: pending}
    run(start=(open_flow or CONSENT_FLOW, "start"))


def _command(session, command: str, outcome: Outcome, run) -> None:
    """The global words: menú, cancelar, asesor, whatever the step."""
    was_in_flow = bool(session.flow) and session.flow != MENU_FLOW
    _reset(session)
    if command == "menu":
        run(start=(MENU_FLOW, "start"))
    elif command == "asesor":
        run(start=("asesor", "start"))
    else:
        outcome.replies.append(Reply(template="menu/cancelled.txt" if was_in_flow else "menu/nothing_to_cancel.txt"))


def _refused_media(incoming: Incoming, outcome: Outcome) -> bool:
    """Types the bot does not read, and files nobody asked for, get a polite answer; Meta's
    system notices (a number change) get none."""
    if incoming.type == "system":
        return True
    if incoming.is_unsupported:
        outcome.replies.append(Reply(template="menu/unsupported.txt", context={"type": incoming.type}))
        return True
    if incoming.type in ("image", "document") and incoming.media is None:
        # A file nobody asked for is not downloaded or kept: no personal data without a purpose.
        outcome.replies.append(Reply(template="documents/not_expected.txt"))
        return True
    return False


def _route(session, incoming: Incoming, run) -> None:
    """The current step reads the message; a tap on another flow's earlier message goes to
    that flow; with no flow in progress, the menu's router picks one."""
    prefixed = _flow_for_choice(incoming.choice)
    if prefixed is not None and prefixed.name != session.flow:
        _reset(session)
        session.flow, session.step = prefixed.name, "choice"
        run()
    elif session.flow and session.step:
        run()
    else:
        run(start=(MENU_FLOW, "route"))


def _pending_request(session, incoming: Incoming) -> str | None:
    """The service a message without consent asked for ("quiero renovar mi crédito"), to
    start once consent is given; at the consent question itself, the one asked first."""
    return _kept_request(session) or service_asked_for(incoming)


def _kept_request(session) -> str | None:
    """The service kept at the consent question (asked for before answering), if any."""
    if session.flow == CONSENT_FLOW and isinstance(session.data, dict) and session.data.get(PENDING_KEY):
        return session.data[PENDING_KEY]
    return None


def service_asked_for(incoming: Incoming) -> str | None:
    """The flow a typed message asks for that needs consent ("necesito el paz y salvo" ->
    paz_y_salvo), or None (a greeting, a tap, the privacy policy)."""
    if incoming is None or incoming.type != "text" or not incoming.text.strip():
        return None
    flow = flow_for_intent(recognise(incoming))
    if flow is None or not flow.needs_consent or flow.name in (MENU_FLOW, CONSENT_FLOW):
        return None
    return flow.name


def _consent_free_flow(incoming: Incoming) -> str | None:
    """A flow someone without consent may use (reading the privacy policy), if asked for."""
    if incoming.type != "text":
        return None
    flow = flow_for_intent(recognise(incoming))
    return flow.name if flow is not None and not flow.needs_consent and flow.name != "asesor" else None


def _flow_for_choice(choice: str):
    """The flow whose ``choice_prefix`` the tapped id starts with, if any."""
    if not choice:
        return None
    get_flow(MENU_FLOW)  # loads the registry
    return next((f for f in FLOWS.values() if f.choice_prefix and choice.startswith(f.choice_prefix)), None)


def _reset(session) -> None:
    session.flow = ""
    session.step = ""
    session.data = {}
    session.misunderstandings = 0


def _run(session, contact, incoming, now, outcome: Outcome, *, start: tuple[str, str] | None = None) -> None:
    """Run the current step with the message, then enter each step it moves to."""
    data = session.data if isinstance(session.data, dict) else {}
    turn = Turn(session=session, contact=contact, incoming=incoming, now=now, data=data)
    if start:
        turn.next = start
    else:
        flow = get_flow(session.flow)
        handler = getattr(flow, f"on_{session.step}", None)
        if handler is None:
            logger.error("flow %s has no handler for step %s; back to the menu", session.flow, session.step)
            turn.next = (MENU_FLOW, "start")
        elif session.step in flow.open_text_steps and _asks_for_a_person(turn.incoming):
            # A name or a city step would take "quiero una persona" as its answer.
            _follow_the_customer(session, turn)
        else:
            _step(turn, handler)
            if not turn.understood:
                _follow_the_customer(session, turn)

    for _ in range(MAX_CHAINED_STEPS):
        if turn.escalation:
            outcome.escalation = turn.escalation
            turn.escalation = None
        if not turn.understood and acknowledges(turn.incoming):
            # "ok", "gracias", "👍" at a question: the step asks again, but nobody is handed
            # to an advisor for a thumbs-up, and the lexicon has nothing to learn from it.
            turn.understood = True
        elif not turn.understood:
            _keep_unrecognised(session, turn, outcome)
            session.misunderstandings += 1
            turn.understood = True
            if session.misunderstandings >= 2:
                session.misunderstandings = 0
                turn.replies.clear()
                turn.next = ("asesor", "misunderstood")
        elif turn.next or turn.ended:
            session.misunderstandings = 0
        if turn.ended and not turn.next:
            outcome.resolved_flow = session.flow if turn.resolved else None
            _reset(session)
            turn.data.clear()
            if turn.offer_more:
                turn.replies.append(Reply(template="menu/anything_else.txt"))
                # A typed "no" or "sí" answers that question (the menu's ``more`` step).
                session.flow, session.step = MENU_FLOW, MORE_STEP
            turn.ended = False
            break
        if not turn.next:
            break
        flow_name, step = turn.next
        turn.next = None
        if flow_name != session.flow and not turn.returning and "_return" not in turn.data:
            turn.data.clear()
        turn.returning = False
        session.flow, session.step = flow_name, step
        enter = getattr(get_flow(flow_name), f"enter_{step}", None)
        if enter is not None:
            _step(turn, enter)
            # A step entered after this one reads no message, unless this one forwarded it.
            turn.incoming = turn.incoming if (turn.forwarding or not turn.next) else None
            turn.forwarding = False
    else:
        logger.error("flow loop did not settle at %s:%s", session.flow, session.step)

    session.data = turn.data
    outcome.replies.extend(turn.replies)


def _step(turn: Turn, step) -> None:
    """Run one step; when ProAlto's core cannot answer, say so and offer an advisor (nothing
    is read from elsewhere instead)."""
    try:
        step(turn)
    except PortfolioUnavailable:
        logger.warning("core unavailable during %s:%s", turn.session.flow, turn.session.step)
        turn.next = (ADVISOR_FLOW, "core_unavailable")
        turn.ended = False
        turn.escalation = None
        turn.understood = True


def _follow_the_customer(session, turn: Turn) -> None:
    """A step that did not understand its answer looks at what the customer asked instead:
    a person, a complaint or fraud, a goodbye, or another service. The step's "not
    understood" is dropped and the request followed; leaving a flow that has collected
    answers is confirmed first (the ``cambio_tema`` flow), otherwise nothing is lost."""
    incoming = turn.incoming
    if incoming is None or incoming.type != "text" or not incoming.text.strip():
        return
    intent = recognise(incoming)
    if intent == "queja":
        target = ("asesor", "complaint")
    elif intent == "asesor":
        # Inside a step only an explicit request for a person hands over ("¿qué pasa con
        # mi crédito?" is a question about the step, not a request for an advisor).
        if not HUMAN_HINT.search(simplify(incoming.text)):
            return
        target = ("asesor", "start")
    elif intent == "despedida":
        if not CLOSING_HINT.search(simplify(incoming.text)):
            return  # "mañana" answers a question, "gracias" is politeness; "gracias, chao" closes
        target = (MENU_FLOW, "goodbye")
    else:
        flow = flow_for_intent(intent)
        if flow is None or flow.name in (session.flow, MENU_FLOW, CONSENT_FLOW):
            return
        if not clear_request(incoming.text):
            return  # a vague question ("¿cuánto me demoro?") is about the step
        if flow.name in RELATED_FLOWS.get(session.flow, ()):
            return  # "¿y la tasa?" at a renewal offer is about the offer
        target = (flow.name, "start")
    turn.replies.clear()
    turn.escalation = None
    turn.understood = True
    if target[0] not in ("asesor", MENU_FLOW) and collected_answers(turn.data):
        saved = {"flow": session.flow, "step": session.step, "data": dict(turn.data), "target": target[0]}
        turn.data.clear()
        turn.data["_switch"] = saved
        turn.returning = True  # keeps the saved state through the move
        turn.next = (SWITCH_FLOW, "ask")
        return
    turn.data.clear()
    if target[0] not in ("asesor", MENU_FLOW):
        turn.say("menu/switched.txt", target=turn.service_title(target[0]))  # not the same question again, unexplained
    turn.next = target
    turn.forwarding = True


def acknowledges(incoming) -> bool:
    """A message that asks nothing: only emoji or punctuation, laughter, "ok", "listo", "sí"."""
    if incoming is None or incoming.type != "text" or incoming.choice:
        return False
    text = simplify(incoming.text or "")
    tokens = re.findall(r"\w+", text)
    return all(token in ACK_WORDS or LAUGHTER.fullmatch(token) for token in tokens)


def clear_request(text: str) -> bool:
    """Whether a message a step did not understand clearly asks for the service recognised."""
    confidence = intents.recognise_local(text).confidence
    return confidence >= CLEAR_REQUEST or (confidence >= CUED_REQUEST and bool(SWITCH_CUE.search(simplify(text))))


def _asks_for_a_person(incoming: Incoming | None) -> bool:
    """Fraud, or a complaint or a person asked for in so many words: what a step taking any
    text ("Marta Pérez", "Medellín") must not store as its answer."""
    if incoming is None or incoming.type != "text" or not incoming.text.strip():
        return False
    intent = recognise(incoming)
    if intent not in ("asesor", "queja"):
        return False
    text = simplify(incoming.text)
    if intent == "queja" and intents.is_fraud(incoming.text):
        return True
    return bool(REQUEST_CUE.search(text)) and (intent == "queja" or bool(HUMAN_HINT.search(text)))


def _keep_unrecognised(session, turn: Turn, outcome: Outcome) -> None:
    """A typed message no step understood goes to the supervisors' list (masked), unless it
    answered an identity secret (those are never kept)."""
    incoming = turn.incoming
    if incoming is None or incoming.type != "text" or not incoming.text.strip() or secret_answer(session=session):
        return
    outcome.unrecognised.append((incoming.text, session.flow, session.step))


def collected_answers(data: dict) -> bool:
    """Whether a flow's data holds answers the customer typed (leaving would lose them)."""
    return any(not key.startswith("_") and key != "identity" and value for key, value in data.items())


def secret_answer(*, session) -> str | None:
    """What kind of identity secret the step the user is at reads ("cedula", "issue_date",
    "code"), if any: the worker stores that answer masked."""
    if not session.flow or not session.step or not flow_exists(session.flow):
        return None
    return getattr(get_flow(session.flow), "answer_steps", {}).get(session.step)


def wants_media(*, session) -> bool:
    """Whether the step the user is at expects a file (so the worker downloads it)."""
    if not session.flow or not session.step or not flow_exists(session.flow):
        return False
    flow = get_flow(session.flow)
    return session.step in getattr(flow, "media_steps", ())


def recognise(incoming: Incoming) -> str:
    """The intent of typed text: the one the worker recognised before the lock, or the local
    recogniser's (never a slow call under the lock); cached on the Incoming."""
    if incoming.intent is None:
        incoming.intent = intents.recognise_local(incoming.text).intent if incoming.text.strip() else "desconocido"
    return incoming.intent


__all__ = [
    "handle",
    "wants_media",
    "recognise",
    "acknowledges",
    "clear_request",
    "service_asked_for",
    "flow_for_intent",
    "Outcome",
]
