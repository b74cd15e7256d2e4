"""Habeas Data through the bot: read the policy (PTI) and exercise the holder's rights.

Anyone may use it, with or without consent (``needs_consent = False``): knowing how we
treat data, and asking us to know, update, rectify or delete it or to revoke the
authorisation, are rights that never depend on having accepted. Every request becomes a
tracked ``DataRightsRequest`` with its radicado and legal deadline; a revocation takes
effect at once. Someone who has not authorised and answers the menu "No acepto" is answering
the authorisation: the consent flow says what declining means.
"""

import re

from consent.models import ConsentRecord, DataRightsRequest
from consent.selectors import (
    contact_has_consent,
    contact_last_consent,
    contact_rights_request_needing_info,
    policy_current,
    rights_request_needing_info,
)
from conversations.bot import effects
from conversations.bot.flows import Flow, register
from conversations.bot.flows.consentimiento import declines
from conversations.messaging.replies import render
from credits.selectors import customer_by_phone
from proalto.text import simplify

MENU = "privacy/menu.txt"
REVOKE_CONFIRM = "privacy/revoke_confirm.txt"
Kind = DataRightsRequest.Kind

# Words people type for each option (accent-free, lower case), besides the titles and numbers.
KEYWORDS = {
    "privacy_read": ("leer", "politica", "pti", "terminos"),
    "privacy_conocer": ("conocer", "que datos", "consultar mis datos", "ver mis datos"),
    "privacy_actualizar": ("actualizar", "actualizacion", "cambiar"),
    "privacy_rectificar": ("rectificar", "corregir", "correccion", "equivocad", "error"),
    "privacy_suprimir": ("suprimir", "borrar", "eliminar", "supresion", "borren", "eliminen"),
    "privacy_revocar": ("revocar", "revoco", "retirar", "revocacion", "no autorizo"),
}
# "¿Qué datos tienen de mí?" may be a question, not a request: these show the menu first.
SHOW_MENU_FIRST = ("privacy_conocer",)
YES_WORDS = {"si", "si revocar", "revocar", "confirmo", "si confirmo", "revoco"}
NO_WORDS = {"no", "no mantenerla", "mantenerla", "mantener", "no revocar"}
# A reclamo must say what to change: fewer words than this is asked again.
MIN_DETAIL_WORDS, MIN_DETAIL_CHARS = 3, 15


@register
class PrivacyFlow(Flow):
    name = "privacidad"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "choose": "Elige el trámite de datos personales",
        "describe": "Describe su solicitud de datos",
        "revoke": "Confirma la revocatoria de la autorización",
        "complete": "Completa la información pedida",
    }
    intents = ("privacidad",)
    needs_consent = False

    def enter_start(self, turn):
        if _declines_consent(turn):
            turn.goto("refused", flow="consentimiento")
            return
        pending = contact_rights_request_needing_info(contact=turn.contact)
        if pending is not None:
            turn.data["request_id"] = pending.pk
            turn.say("privacy/complete_ask.txt", request=pending)
            turn.goto("complete")
            return
        # "Quiero borrar mis datos" goes straight to that right (each asks one more question
        # before anything is registered); "privacidad" or a question shows the menu.
        option = _keyword_option(turn.incoming.text) if turn.incoming and turn.incoming.type == "text" else None
        if option and option not in SHOW_MENU_FIRST:
            self._chosen(turn, option)
            return
        turn.say(MENU)
        turn.goto("choose")

    def on_choose(self, turn):
        if _declines_consent(turn):
            turn.goto("refused", flow="consentimiento")
            return
        option = _chosen_option(turn)
        if option is None:
            turn.not_understood()
            turn.say("privacy/not_understood.txt")
            return
        self._chosen(turn, option)

    def _chosen(self, turn, option: str) -> None:
        if option == "privacy_read":
            turn.say("privacy/policy.txt", policy=policy_current())
            turn.end()
        elif option == "privacy_conocer":
            _open(turn, Kind.CONOCER, "")
        elif option == "privacy_revocar":
            turn.goto("revoke")
        else:
            turn.data["kind"] = option.removeprefix("privacy_")
            turn.goto("describe")

    # --- reclamos: update, rectify, delete ------------------------------------------------
    def enter_describe(self, turn):
        turn.say("privacy/describe.txt", kind=turn.data["kind"])

    def on_describe(self, turn):
        detail = _detail(turn.incoming)
        if detail is None:
            turn.not_understood()
            turn.say("privacy/describe_again.txt", kind=turn.data["kind"])
            return
        _open(turn, turn.data["kind"], detail)

    # --- revocation ---------------------------------------------------------------------
    def enter_revoke(self, turn):
        last = contact_last_consent(contact=turn.contact)
        if last is None or last.answer != ConsentRecord.Answer.ACCEPTED:
            turn.say("privacy/revoke_none.txt")
            turn.end(offer_more=False)
            return
        turn.data["shown"] = render(REVOKE_CONFIRM).preview
        turn.say(REVOKE_CONFIRM)

    def on_revoke(self, turn):
        answer = _yes_no(turn)
        if answer is None:
            turn.not_understood()
            turn.say("privacy/revoke_again.txt")
            return
        if not answer:
            turn.say("privacy/revoke_kept.txt")
            turn.end()
            return
        customer = _customer(turn)
        turn.effect(
            effects.ConsentRevoke(
                text_shown=turn.data.get("shown") or render(REVOKE_CONFIRM).preview,
                answered_at=turn.incoming.sent_at or turn.now,
                customer_id=customer.pk if customer else None,
            )
        )
        # Stop at once: forget who they proved to be; the flow's data goes when it ends.
        turn.session.validated_customer = None
        turn.session.validated_until = None
        turn.end(offer_more=False)

    # --- an incomplete reclamo gets its missing information ------------------------------
    def on_complete(self, turn):
        detail = _detail(turn.incoming)
        request = rights_request_needing_info(contact=turn.contact, request_id=turn.data.get("request_id") or 0)
        if request is None:
            turn.start(self.name)
            return
        if detail is None:
            turn.not_understood()
            turn.say("privacy/complete_ask.txt", request=request)
            return
        turn.effect(effects.RightsRequestComplete(request_id=request.pk, detail=detail))
        turn.end()


def _declines_consent(turn) -> bool:
    """A "No acepto" ("no autorizo", "no") from someone with no authorisation in force: an
    answer to the authorisation, not a right nobody understood (nor a revocation)."""
    return declines(turn.incoming) and not contact_has_consent(contact=turn.contact)


def _open(turn, kind: str, detail: str) -> None:
    customer = _customer(turn)
    turn.effect(effects.RightsRequestOpen(kind=kind, detail=detail, customer_id=customer.pk if customer else None))
    turn.end()


def _customer(turn):
    """The customer the request is about: the validated one, else the one with this phone."""
    return turn.customer or customer_by_phone(phone=turn.contact.wa_id)


def _detail(incoming) -> str | None:
    if incoming is None or incoming.type != "text":
        return None
    text = " ".join(incoming.text.split())
    if len(text) < MIN_DETAIL_CHARS or len(text.split()) < MIN_DETAIL_WORDS:
        return None
    return text


def _chosen_option(turn) -> str | None:
    """A tapped row, its number or title typed, or a word that names the right."""
    incoming = turn.incoming
    options = turn.options(MENU)
    ids = [option_id for option_id, _ in options]
    if incoming.choice in ids:
        return incoming.choice
    if incoming.type != "text":
        return None
    match = re.fullmatch(r"\s*(?:opci[oó]n\s*|#)?(\d{1,2})\s*[.)]?\s*", incoming.text)
    if match and 1 <= int(match.group(1)) <= len(ids):
        return ids[int(match.group(1)) - 1]
    typed = " ".join(simplify(incoming.text).split())
    for option_id, title in options:
        if typed == simplify(title):
            return option_id
    return _keyword_option(incoming.text)


def _keyword_option(text: str) -> str | None:
    typed = " ".join(simplify(text or "").split())
    found = {option for option, words in KEYWORDS.items() for word in words if word in typed}
    # Two rights named at once ("borrar o corregir") is ambiguous: show the menu.
    return found.pop() if len(found) == 1 else None


def _yes_no(turn) -> bool | None:
    incoming = turn.incoming
    if incoming.choice in ("privacy_revoke_yes", "privacy_revoke_no"):
        return incoming.choice == "privacy_revoke_yes"
    if incoming.type != "text":
        return None
    typed = " ".join(simplify(incoming.text).split())
    if typed in YES_WORDS or typed == simplify("Sí, revocar"):
        return True
    if typed in NO_WORDS:
        return False
    return None
