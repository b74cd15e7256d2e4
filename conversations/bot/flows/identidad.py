"""Identity validation before any financial data: something the customer knows (cédula and
its issue date) and something they have (the registered mobile, or a one-time code sent
to it).

Other flows call it with ``turn.call("identidad", return_step=...)`` when
``turn.customer`` is None; on success it sets the session's validated customer and
returns to the caller's step in the same turn. The answers never reveal whether a
cédula exists: an unknown cédula walks the same steps and fails with the same words as a
known one with a wrong date. Failures count per WhatsApp user and per cédula
(``credits.identity``); too many lock both for a while.
"""

from __future__ import annotations

import hmac
import logging
import re
from datetime import timedelta

from django.conf import settings

from conversations.bot import effects
from conversations.bot.flows import Flow, register
from credits import identity
from credits.models import Customer
from credits.selectors import customer_by_cedula, customer_by_id
from proalto.colombia import BOGOTA, format_date_long, format_time, normalize_mobile
from proalto.masking import mask_cedula
from proalto.text import simplify

logger = logging.getLogger(__name__)

STATE = "identity"  # key of this flow's data inside the caller's data
# Why the cédula is asked for ("¿para qué necesitan mi cédula?"): answered, then asked again.
WHY_ASKED = re.compile(
    r"\b(para que|por que)\b.*\b(cedula|fecha|documento|datos|pide\w*|necesit\w*)\b"
    r"|\bporque\b.*\b(piden|pide|necesitan|necesita|quieren)\b"  # "porque" for "por qué" in chats
)
# Not knowing or not having at hand what the step asks for ("no me acuerdo de la fecha",
# "no tengo la cédula a la mano", "¿dónde la encuentro?"): help, not "no te entendí".
NOT_AT_HAND = re.compile(
    r"\b(no (me )?(la |lo )?(acuerdo|recuerdo|se|tengo|encuentro|veo|sale)|olvid\w*|"
    r"donde (la |lo )?(encuentro|veo|busco|sale|aparece|dice)|cual es (la|esa) fecha)\b"
)
RESEND_WORDS = {
    "reenviar",
    "reenviar codigo",
    "reenviar el codigo",
    "enviar de nuevo",
    "otro codigo",
    "nuevo codigo",
    "reenvialo",
}


@register
class IdentityFlow(Flow):
    name = "identidad"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "cedula": "Escribe la cédula",
        "issue_date": "Escribe la fecha de expedición",
        "code": "Escribe el código de verificación",
    }
    # What the answer at each step is: stored masked (conversations.bot.inbox), never in full.
    answer_steps = {"cedula": "cedula", "issue_date": "issue_date", "code": "code"}

    def enter_start(self, turn):
        if turn.customer is not None:
            turn.finish_call()
            return
        turn.data.pop(STATE, None)
        if _refuse_if_locked(turn, identity.subject_keys(wa_id=turn.contact.identifier)):
            return
        turn.say("identity/ask_cedula.txt")
        turn.goto("cedula")

    def on_cedula(self, turn):
        cedula = identity.parse_cedula(turn.incoming.text)
        if cedula is None and _helped(turn, "cedula"):
            return
        if cedula is None:
            turn.say("identity/cedula_unreadable.txt")
            turn.not_understood()
            return
        # Looked up now whether or not it exists; the answer is the same either way.
        customer = customer_by_cedula(cedula=cedula)
        # The owner writing from the registered phone is never locked out by failures others
        # made on their cédula (three wrong dates from any number must not deny them service):
        # their attempts count against their own chat only.
        owner = customer is not None and _is_registered_phone(_phone_meta_vouches_for(turn), customer)
        subjects = identity.subject_keys(wa_id=turn.contact.identifier, cedula=None if owner else cedula)
        if _refuse_if_locked(turn, subjects):
            return
        turn.data[STATE] = {
            "candidate": customer.pk if customer else None,
            "subjects": subjects,
            "cedula_masked": mask_cedula(cedula),
        }
        turn.goto("issue_date")

    def enter_issue_date(self, turn):
        turn.say("identity/ask_issue_date.txt")

    def on_issue_date(self, turn):
        state = turn.data.get(STATE) or {}
        given = identity.parse_date(turn.incoming.text)
        if given is None and _helped(turn, "issue_date"):
            return
        if given is None:
            turn.say("identity/date_unreadable.txt")
            turn.not_understood()
            return
        if _refuse_if_locked(turn, state.get("subjects", [])):
            return
        customer = customer_by_id(customer_id=state.get("candidate"))
        if not identity.dates_match(customer.cedula_issue_date if customer else None, given):
            _failed(turn, state)
            return
        state["customer"] = customer.pk
        state.pop("candidate", None)
        if _is_registered_phone(_phone_meta_vouches_for(turn), customer):
            _validated(turn, customer, state)
            return
        _send_code(turn, customer, state)

    def on_code(self, turn):
        state = turn.data.get(STATE) or {}
        if _refuse_if_locked(turn, state.get("subjects", [])):
            return
        customer = customer_by_id(customer_id=state.get("customer"))
        if customer is None:  # the customer was removed meanwhile: start over
            turn.goto("start")
            return
        incoming = turn.incoming
        if incoming.shared_phone:
            # The number shared through Meta's contact request is proof of the held factor.
            if _is_registered_phone(incoming.shared_phone, customer):
                _validated(turn, customer, state)
            else:
                _failed(turn, state, wrong_code=True, template="identity/shared_phone_mismatch.txt")
            return
        if incoming.choice == "identity_resend" or simplify(incoming.text) in RESEND_WORDS:
            _send_code(turn, customer, state)
            return
        code = identity.read_code(incoming.text)
        if code is None:
            turn.say("identity/code_unreadable.txt")
            turn.not_understood()
            return
        pending = identity.PendingCode.from_data(state.get("code"))
        if pending is None or pending.expired(now=turn.now):
            state["code"] = None
            turn.say("identity/code_expired.txt", can_resend=state.get("sends", 0) < settings.IDENTITY_OTP_MAX_SENDS)
            return
        if not pending.matches(code):
            _failed(turn, state, wrong_code=True)
            return
        state["code"] = None  # single use
        _validated(turn, customer, state)


def _send_code(turn, customer: Customer, state: dict) -> None:
    sends = state.get("sends", 0)
    if sends >= settings.IDENTITY_OTP_MAX_SENDS:
        turn.data.pop(STATE, None)
        turn.say("identity/code_limit.txt")
        turn.end(resolved=False)
        return
    # Codes cost money and reach the owner's phone: capped per customer and per asking chat a day.
    if not identity.code_sends_allow(
        subjects=identity.code_subjects(customer_id=customer.pk, chat=turn.contact.identifier)
    ):
        turn.data.pop(STATE, None)
        turn.say("identity/code_limit_day.txt")
        turn.end(resolved=False)
        return
    code = identity.code_new()
    state["code"] = identity.PendingCode.issue(code, now=turn.now, ttl_seconds=settings.IDENTITY_OTP_SECONDS).as_data()
    state["sends"] = sends + 1
    turn.data[STATE] = state
    turn.effect(effects.CodeSend(customer_id=customer.pk, code=code))
    # Without a visible phone the customer may also prove it by sharing their number.
    can_share = not _phone_meta_vouches_for(turn)
    if can_share and sends == 0:
        turn.effect(effects.PhoneRequest())
    turn.say(
        "identity/code_sent.txt",
        minutes=max(1, settings.IDENTITY_OTP_SECONDS // 60),
        resent=sends > 0,
        can_share=can_share,
    )
    turn.goto("code")


def _phone_meta_vouches_for(turn) -> str:
    """The chat's phone as Meta gave it (in this webhook, or stored from earlier ones); never
    a number the customer typed. "" for a customer who writes with a username only."""
    return normalize_mobile(turn.incoming.sender_phone or turn.contact.wa_id or "") or ""


def _is_registered_phone(phone: str, customer: Customer) -> bool:
    registered = normalize_mobile(phone or "") or ""
    return bool(registered) and hmac.compare_digest(registered.encode(), customer.phone.encode())


def _validated(turn, customer: Customer, state: dict) -> None:
    identity.failures_clear(subjects=state.get("subjects", []))
    turn.session.validated_customer = customer
    turn.session.validated_until = turn.now + timedelta(minutes=settings.IDENTITY_SESSION_MINUTES)
    turn.data.pop(STATE, None)
    turn.say("identity/validated.txt", name=customer.full_name.split(" ")[0])
    turn.finish_call()


def _failed(turn, state: dict, *, wrong_code: bool = False, template: str = "identity/code_wrong.txt") -> None:
    """One failed attempt: try again, or a lock (and an alert when locks repeat)."""
    lock = identity.failure_record(subjects=state.get("subjects", []), now=turn.now)
    if lock is None:
        if wrong_code:
            turn.say(template)
            return
        turn.data.pop(STATE, None)
        turn.say(MISMATCH)
        turn.goto("cedula")
        return
    logger.warning(
        "identity validation locked for a chat from %s (cédula %s), lock %s in 24 h",
        turn.contact.masked,
        state.get("cedula_masked", "?"),
        lock.recent_locks,
    )
    _say_locked(turn, lock)
    if lock.recent_locks >= 2:
        turn.escalate("locked_validation", cedula=state.get("cedula_masked", ""), locks_24h=lock.recent_locks)


def _helped(turn, step: str) -> bool:
    """Answer a question about the step instead of its answer: why it is asked, or where to
    find what the customer does not know or have at hand. The step stays where it is."""
    text = simplify(turn.incoming.text or "")
    if WHY_ASKED.search(text):
        turn.say("identity/why_asked.txt", step=step)
        return True
    if NOT_AT_HAND.search(text):
        turn.say("identity/help_issue_date.txt" if step == "issue_date" else "identity/help_cedula.txt")
        return True
    return False


def _refuse_if_locked(turn, subjects: list[str]) -> bool:
    lock = identity.lock_active(subjects=subjects, now=turn.now)
    if lock is None:
        return False
    _say_locked(turn, lock)
    return True


def _say_locked(turn, lock: identity.Lock) -> None:
    turn.data.pop(STATE, None)
    turn.say(LOCKED, **locked_context(lock, now=turn.now))
    turn.end(offer_more=False, resolved=False)


LOCKED = "identity/locked.txt"
MISMATCH = "identity/mismatch.txt"


def locked_context(lock: identity.Lock, *, now) -> dict:
    """When validation may be tried again, as the lock message says it (also the API's)."""
    until = lock.until.astimezone(BOGOTA)
    today = now.astimezone(BOGOTA).date()
    return {"time": format_time(until), "date": None if until.date() == today else format_date_long(until.date())}
