"""The local backend: a message scored against the lexicon phrases. No network, pure, well
under a millisecond.

How a message is scored
-----------------------
1. ``normalise`` (lower case, no accents, no punctuation, collapsed letter runs, chat
   abbreviations expanded), then stop words are dropped.
2. Every remaining token is mapped onto the lexicon vocabulary: same phonetic key
   (Colombian seseo, b/v, silent h, qu/k/c, plural s...), else same crude stem
   ("desembolsar" ~ "desembolso"), else a rapidfuzz optimal-string-alignment look-up
   tolerating one typo (two in long words, first letter kept; two swapped neighbours,
   "salod", are one typo). Adjacent fragments are joined when the
   join is a known word (a word split by a stray space). A few synonyms are merged
   (prestamo/libranza -> credito, plata -> dinero, mesada -> pension).
3. Each lexicon phrase is compared with the message as a bag of tokens weighted by how
   specific a token is to an intent (inverse "intent frequency"). A phrase scores
   ``overlap * phrase_coverage * max(phrase_coverage, message_coverage)``: fully
   present, specific phrases win; half-present phrases count for much less.
4. Rules on top: a fully matched complaint/fraud phrase (``queja``) wins over
   everything; a few pairs resolve in favour of the more specific request
   (renovacion > nuevo_credito, estado_solicitud > nuevo_credito, paz_y_salvo > saldo and
   > nuevo_credito);
   greetings (``menu``) and thanks (``despedida``) only win when the whole message is
   made of their words; below a threshold the answer is ``desconocido``. A
   whole-sentence rapidfuzz ratio against the example phrases rescues the rest.
5. Where the lexicon's scores decide and are not sure (below ``_RULES_SURE``: no phrase
   explains the whole message, a whole-sentence or one-word likeness, nothing understood), and
   no rule decided (a concept, a correction: those encode what the scores get wrong), the
   trained model (``model.py``) is asked; when it
   reads another intent with probability ``_MODEL_SURE`` or more, its reading is the answer.
   A complaint the rules read as fraud is never second-guessed, nor a message of fewer than
   ``_MODEL_MIN_WORDS`` content words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from conversations.bot.intents.base import IntentResult
from conversations.bot.intents.concepts import (
    PERSONAL_DATA_WORDS,
    asks_for_a_person,
    concept_after_lexicon,
    concept_intent,
    hands_over_a_thing,
    is_fraud,
    mentions_existing_loan,
    names_personal_data,
    without_advisor_narrative,
)
from conversations.bot.intents.lexicon import OPTION_NAMES, Lexicon, lexicon, message_tokens
from conversations.bot.intents.model import second_opinion
from conversations.bot.intents.normalisation import content_tokens, normalise, phonetic

# Intents that only win when no "service" intent matches: a greeting before a question
# is not what the customer came for.
_WEAK_INTENTS = frozenset({"menu", "despedida"})
# Intent that wins whenever one of its phrases is fully present.
_PRIORITY_INTENT = "queja"
# Tie-break order (most specific / most important first).
_TIE_ORDER = (
    "queja",
    "paz_y_salvo",
    "privacidad",
    "asesor",
    "estado_solicitud",
    "renovacion",
    "saldo",
    "nuevo_credito",
    "menu",
    "despedida",
)

# Words that introduce the customer's name ("soy", "habla", "le saluda", "me llamo").
_INTRODUCTION = frozenset("soy habla hablas saluda saludan llamo nombre parte".split())
# Greetings and thanks count for less than a real request in the same message.
_WEAK_FACTOR = 0.6
# (winner, loser): when both fully match, the first is what the customer is asking for
# (an amount asked for while renewing is a renewal; credit words next to an approval
# are about an application already made).
_DOMINANCE = (
    ("renovacion", "nuevo_credito"),
    ("estado_solicitud", "nuevo_credito"),
    ("paz_y_salvo", "saldo"),
    ("renovacion", "saldo"),
    # "como hago para sacar el paz y salvo": the certificate, not a loan to take out.
    ("paz_y_salvo", "nuevo_credito"),
)
# Minimum phrase score (see module docstring) to accept a lexicon match.
_MIN_SCORE = 1.3
# Minimum whole-sentence rapidfuzz ratio for the fallback match.
_MIN_SENTENCE_RATIO = 86.0
# A coverage this high is complete: the weights are floats, their sums not exact.
_FULL = 0.999
# The lexicon's scores are sure from here: a phrase explains (nearly) the whole message. Below
# it the model's reading may replace theirs.
_RULES_SURE = 0.91
# How probable the model's other reading must be to replace the rules'. The thresholds were
# chosen by leaving each labelled set out of the model's training in turn (README): the tuning
# sets lost 0.2 % to the model's mistakes (99.8 %) where blind set 6 went from 95.4 to 98.9 %.
_MODEL_SURE = 0.6
# One or two words are the rules' (exact phrases, the one-word typo match): the model learnt
# from sentences and reads a lone word by the company it keeps there ("no señor" came out a
# complaint, "señor" being a word of scam stories). Three also scored best left out.
_MODEL_MIN_WORDS = 3


@dataclass
class _Match:
    """The best phrase of each intent for one message."""

    # intent -> (score, coverage of the phrase)
    best: dict[str, tuple[float, float]] = field(default_factory=dict)
    # intent -> weight of the message its phrase explains, and that phrase's tokens
    explained: dict[str, float] = field(default_factory=dict)
    tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    # service intents with a phrase that explains the whole message
    whole: set[str] = field(default_factory=set)


def recognise_local(text: str) -> IntentResult:
    """The intent of a message by the rules, the model where they are not sure (module docstring)."""
    rules, ruled = _read(text)
    if ruled or rules.confidence >= _RULES_SURE:
        return rules
    norm = normalise(text)
    if len(content_tokens(norm)) < _MODEL_MIN_WORDS or (rules.intent == "queja" and is_fraud(norm)):
        return rules
    opinion = second_opinion(norm)
    if opinion.intent != rules.intent and opinion.probability >= _MODEL_SURE:
        return IntentResult(opinion.intent, round(opinion.probability, 3), "local")
    return rules


def recognise_rules(text: str) -> IntentResult:
    """The intent of a message by the concept rules and the lexicon alone (steps 1-4)."""
    return _read(text)[0]


def _read(text: str) -> tuple[IntentResult, bool]:
    """The rules' answer, and whether a rule decided it (an empty message, a concept, a
    correction after the lexicon, a greeting with a name) rather than the lexicon's scores."""
    lex = lexicon()
    norm = without_advisor_narrative(normalise(text))
    content = content_tokens(norm)
    if not content:
        return IntentResult("desconocido", 1.0, "local"), True
    concept = concept_intent(norm)
    if concept is not None:
        return IntentResult(concept, 0.9, "local"), True
    tokens = message_tokens(content)
    known = {t for t in tokens if t is not None}
    # Unknown words count as one unit each: they dilute how much of the message we explain.
    text_weight = sum(lex.weights[t] for t in known) + sum(1.0 for t in tokens if t is None)
    match = _match_phrases(lex, known, text_weight)
    eligible = {i: v for i, v in match.best.items() if v[0] >= _MIN_SCORE}
    intent = _choose(lex, match, eligible, known, None not in tokens, content) if eligible else None
    # Whether a rule set the lexicon's reading aside and nothing took its place: the rule decided.
    set_aside = False
    if intent == "privacidad" and not (known & _personal_data_tokens() or names_personal_data(norm)):
        # A privacy phrase matched through a verb alone ("no se escribir", "cambio"): the
        # customer speaks of themself or of the loan; the next reading, or none.
        eligible = {i: v for i, v in eligible.items() if i != "privacidad"}
        intent = _choose(lex, match, eligible, known, None not in tokens, content) if eligible else None
        set_aside = intent is None
    if intent == "asesor" and not asks_for_a_person(norm):
        # "quisiera ver el saldo, no entiendo bien esto": an advisor phrase without anyone to
        # talk to (a struggle) next to a service asked for in full: the service.
        others = [i for i in eligible if i not in _WEAK_INTENTS and i != intent and eligible[i][1] >= _FULL]
        if others and any(i in match.whole or eligible[i][0] >= eligible[intent][0] * 0.5 for i in others):
            intent = _best(others, eligible)
    if intent == "asesor" and hands_over_a_thing(norm):
        # "me pasa el saldo" asks for the balance; "me pasas la receta" asks for nothing of ours.
        others = [i for i in eligible if i not in _WEAK_INTENTS and i != intent and eligible[i][1] >= _FULL]
        intent = _best(others, eligible) if others else None
        set_aside = intent is None
    if (
        intent == "menu"
        and sum(1 for t in tokens if t is None) >= 2
        and not _asks_for_the_menu(known)
        and _INTRODUCTION.isdisjoint(content)
    ):
        # "hola mija, como esta, ya almorzo?", "buenos dias, vendo tamales": a greeting, then
        # talk of something else the lexicon does not know (a name the customer gives, "habla
        # gloria ines", is still a greeting).
        intent, set_aside = None, True
    corrected = concept_after_lexicon(intent, norm)
    if corrected is not None:
        return IntentResult(corrected, 0.8, "local"), True
    if intent is not None:
        score, coverage = match.best[intent]
        share = min(1.0, match.explained[intent] / text_weight)
        confidence = 0.5 + 0.3 * coverage * min(1.0, score / 3.0) + 0.2 * share
        return IntentResult(intent, round(min(confidence, 1.0), 3), "local"), False
    if _introduces_themself(lex, content, tokens):
        # "hola, soy gloria ines", "buenas, habla pedro": a greeting with the customer's name.
        return IntentResult("menu", 0.7, "local"), True
    return _sentence_fallback(lex, content), set_aside


def _introduces_themself(lex: Lexicon, content: list[str], tokens: list[str | None]) -> bool:
    """A greeting and the customer's name, nothing else: every known word is a greeting's."""
    if _INTRODUCTION.isdisjoint(content) or len(content) > 8:
        return False
    known = {t for t in tokens if t is not None} - {lex.keys.get(phonetic(w)) for w in _INTRODUCTION}
    return bool(known) and known <= lex.intent_tokens["menu"]


def _match_phrases(lex: Lexicon, known: set[str], text_weight: float) -> _Match:
    """Score every phrase sharing a token with the message; keep each intent's best."""
    match = _Match()
    candidates: set[int] = set()
    for token in known:
        candidates.update(lex.by_token.get(token, ()))
    for index in candidates:
        phrase = lex.phrases[index]
        matched = phrase.tokens & known
        overlap = sum(lex.weights[t] for t in matched)
        phrase_coverage = overlap / phrase.weight
        text_coverage = overlap / text_weight
        if matched <= lex.generic and phrase.intent not in _WEAK_INTENTS:
            # Generic words alone make no request: a phrase matched only through them
            # must be the whole message, and the message all of the phrase.
            if phrase_coverage < _FULL or text_coverage < _FULL:
                continue
        # A fully present phrase scores its weight; a short message that lies inside a
        # longer phrase scores by how much of that phrase it covers.
        score = overlap * phrase_coverage * max(phrase_coverage, text_coverage)
        if phrase.intent in _WEAK_INTENTS:
            # A greeting or a thank-you must be (nearly) the whole message: weigh the
            # phrase by how much of the message is made of that intent's words.
            intent_words = lex.intent_tokens[phrase.intent]
            intent_coverage = sum(lex.weights[t] for t in known & intent_words) / text_weight
            score = overlap * max(phrase_coverage, intent_coverage) * intent_coverage * _WEAK_FACTOR
        elif phrase_coverage >= _FULL and text_coverage >= _FULL:
            match.whole.add(phrase.intent)
        if score > match.best.get(phrase.intent, (0.0, 0.0))[0]:
            match.best[phrase.intent] = (score, phrase_coverage)
            match.explained[phrase.intent] = overlap
            match.tokens[phrase.intent] = phrase.tokens
    return match


def _choose(
    lex: Lexicon,
    match: _Match,
    eligible: dict[str, tuple[float, float]],
    known: set[str],
    all_known: bool,
    content: list[str],
) -> str:
    """The intent among the eligible ones, after the rules between intents."""
    # A request beats a greeting or a thank-you in the same message, unless every word
    # of the message is greeting or closing talk and no request phrase explains the
    # whole message (a request may share a word with a menu phrase).
    pool = [i for i in eligible if i not in _WEAK_INTENTS]
    if all_known and not (match.whole & set(eligible)):
        pool = [i for i in eligible if i in _WEAK_INTENTS and known <= lex.intent_tokens[i]] or pool
    pool = pool or list(eligible)
    intent = _best(pool, eligible)
    for winner, loser in _DOMINANCE:
        if (
            intent == loser
            and winner in eligible
            and eligible[winner][1] >= _FULL
            # ...unless the loser's phrase already contains the winner's: what is left to
            # pay before the paz y salvo is a balance question.
            and not (eligible[loser][1] >= _FULL and match.tokens[winner] < match.tokens[loser])
        ):
            intent = winner
    if intent == "nuevo_credito" and mentions_existing_loan(content):
        # Credit words next to the loan the customer already has: a question about it.
        others = [i for i in eligible if i not in _WEAK_INTENTS and i != intent and eligible[i][1] >= _FULL]
        if others:
            intent = _best(others, eligible)
    queja = eligible.get(_PRIORITY_INTENT)
    if queja and queja[1] >= _FULL:
        advisor = eligible.get("asesor")
        if intent == "asesor" and advisor and advisor[1] >= _FULL and match.tokens[_PRIORITY_INTENT] <= _mood_tokens():
            # "estoy muy molesto, quiero hablar con un asesor ya": a mood, and a person asked for.
            return intent
        intent = _PRIORITY_INTENT
    return intent


def _best(intents: list[str], eligible: dict[str, tuple[float, float]]) -> str:
    return max(intents, key=lambda i: (eligible[i][0], -_TIE_ORDER.index(i)))


def _sentence_fallback(lex: Lexicon, content: list[str]) -> IntentResult:
    """The message as a whole resembles an example phrase, or nothing is understood."""
    message_text = " ".join(sorted(content))
    found = process.extractOne(
        message_text,
        lex.sentence_texts,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=_MIN_SENTENCE_RATIO,
    )
    if found and len(message_text) >= 6:
        phrase = lex.phrases[found[2]]
        return IntentResult(phrase.intent, round(found[1] / 100.0 * 0.8, 3), "local")
    return _one_word_typo(lex, content) or IntentResult("desconocido", 0.5, "local")


def _one_word_typo(lex: Lexicon, content: list[str]) -> IntentResult | None:
    """A one-word message of four letters or more, one typo away from a vocabulary word that
    is a whole phrase on its own ("sldo"): short words are not typo-corrected inside a
    sentence, where they are too easily another word, but alone they name an option."""
    if len(content) != 1 or len(content[0]) < 3 or content[0].isdigit():
        return None
    single, targets = _one_word_targets()
    # Three or four letters: only an option name of the menu ("mnu", "meni" for "menu").
    if len(content[0]) < 5:
        targets = tuple(k for k in targets if len(k) <= 5 and lex.keys[k] in _option_tokens())
    found = process.extractOne(phonetic(content[0]), targets, scorer=OSA.distance, score_cutoff=1)
    if not found:
        return None
    return IntentResult(single[lex.keys[found[0]]], 0.6, "local")


@lru_cache(maxsize=1)
def _one_word_targets() -> tuple[dict[str, str], tuple[str, ...]]:
    """One-word phrases (token -> intent) and the keys a lone word may be a typo of."""
    lex = lexicon()
    single = {next(iter(p.tokens)): p.intent for p in lex.phrases if len(p.tokens) == 1}
    options = _option_tokens()
    targets = tuple(
        k
        for k in lex.keys
        if (len(k) >= 5 or lex.keys[k] in options) and lex.keys[k] in single and lex.keys[k] not in lex.generic
    )
    return single, targets


@lru_cache(maxsize=1)
def _option_tokens() -> frozenset[str]:
    """Vocabulary tokens of the menu's option names."""
    lex = lexicon()
    return frozenset(lex.keys[phonetic(n)] for n in OPTION_NAMES if phonetic(n) in lex.keys)


@lru_cache(maxsize=1)
def _personal_data_tokens() -> frozenset[str]:
    """Vocabulary tokens of the words that name personal data (concepts.PERSONAL_DATA_WORDS)."""
    lex = lexicon()
    return frozenset(lex.keys[phonetic(w)] for w in PERSONAL_DATA_WORDS if phonetic(w) in lex.keys)


def _asks_for_the_menu(known: set[str]) -> bool:
    """The message names the menu or its options, not only a greeting."""
    return bool(known & _menu_words())


@lru_cache(maxsize=1)
def _menu_words() -> frozenset[str]:
    lex = lexicon()
    words = "menu opciones opcion inicio principio ayuda servicios atras volver regresar empezar reiniciar".split()
    return frozenset(lex.keys[phonetic(w)] for w in words if phonetic(w) in lex.keys)


@lru_cache(maxsize=1)
def _mood_tokens() -> frozenset[str]:
    """Vocabulary tokens of how the customer feels ("estoy molesto"), no grievance named."""
    lex = lexicon()
    words = "estoy muy molesto molesta bravo brava enojado enojada furioso furiosa aburrido aburrida".split()
    return frozenset(lex.keys[phonetic(w)] for w in words if phonetic(w) in lex.keys)
