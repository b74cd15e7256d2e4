"""Customer satisfaction (CSAT): a 1-5 rating and an optional comment.

Scheduled after the bot resolves a request (``flow_resolved``) or an advisor closes a
ticket; asked a little later, only when the customer is idle (never in the middle of
another conversation, inside Meta's 24-hour window, with consent) and at most once per
CSAT_MIN_HOURS per contact. Asking puts the chat at this flow's ``rating`` step, so a
typed "4" is a rating, not menu option 4; a tap on an older question reaches
``on_choice`` through the engine's ``choice_prefix`` routing.
"""

from __future__ import annotations

import re

from conversations.bot import effects
from conversations.bot.csat import contact_survey_open, survey_by_id
from conversations.bot.flows import Flow, register
from proalto.text import simplify

SKIP_WORDS = {"omitir", "no", "no gracias", "ninguno", "nada", "sin comentarios", "paso", "listo"}
NUMBER_WORDS = {"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5}
OUT_OF_RANGE = 0


# --- The flow ----------------------------------------------------------------------------------


def parse_rating(incoming) -> int | None:
    """1-5 from a tapped row or typed text ("4", "4 estrellas", "cuatro", "⭐⭐⭐⭐").

    OUT_OF_RANGE for a number that is not 1-5; None when the message is not a rating.
    """
    match = re.fullmatch(r"csat_([1-5])", incoming.choice or "")
    if match:
        return int(match.group(1))
    if incoming.type != "text":
        return None
    raw = (incoming.text or "").strip()
    if raw and set(raw) <= {"⭐", "★", " ", "\ufe0f"}:
        stars = raw.count("⭐") + raw.count("★")
        return stars if 1 <= stars <= 5 else OUT_OF_RANGE
    words = simplify(raw).split()
    if not words or len(words) > 3:
        return None
    first = words[0]
    rest = set(words[1:]) <= {"estrellas", "estrella", "de", "5", "puntos", "punto"}
    if first.isdigit() and rest:
        value = int(first)
        return value if 1 <= value <= 5 else OUT_OF_RANGE
    if first in NUMBER_WORDS and rest:
        return NUMBER_WORDS[first]
    return None


@register
class CsatFlow(Flow):
    name = "csat"
    # What staff read for each step awaiting an answer (the not-understood messages list).
    step_titles = {
        "choice": "Responde la encuesta desde otro punto del chat",
        "rating": "Califica la atención",
        "comment": "Deja un comentario",
    }
    choice_prefix = "csat_"

    def on_choice(self, turn):
        """A tap on a survey message while the chat was somewhere else."""
        if turn.incoming.choice == "csat_skip":
            turn.say("csat/thanks.txt")
            turn.end(offer_more=False, resolved=False)
            return
        self.on_rating(turn)

    def on_rating(self, turn):
        rating = parse_rating(turn.incoming)
        survey = contact_survey_open(contact=turn.contact, now=turn.now)
        if rating is None and not (turn.incoming.choice or "").startswith(self.choice_prefix):
            # Not an answer to the survey: the customer moved on; read the message fresh.
            turn.data.clear()
            turn.goto("route", flow="menu")
            return
        if survey is None:
            turn.say("csat/closed.txt")
            turn.end(offer_more=False, resolved=False)
            return
        if not rating:
            turn.not_understood()
            turn.say("csat/need_rating.txt")
            return
        turn.effect(effects.SurveyRate(survey_id=survey.pk, rating=rating))
        turn.data["survey"] = survey.pk
        turn.say("csat/ask_comment.txt")
        turn.goto("comment")

    def on_comment(self, turn):
        incoming = turn.incoming
        survey = survey_by_id(survey_id=turn.data.get("survey"), contact=turn.contact)
        text = (incoming.text or "").strip() if incoming.type == "text" else ""
        if incoming.choice == "csat_skip" or simplify(text) in SKIP_WORDS:
            turn.say("csat/thanks.txt")
            turn.end(offer_more=False, resolved=False)
            return
        if not text:
            turn.not_understood()
            turn.say("csat/need_comment_text.txt")
            return
        if survey is not None:
            turn.effect(effects.SurveyComment(survey_id=survey.pk, comment=text))
        turn.say("csat/thanks.txt")
        turn.end(offer_more=False, resolved=False)
