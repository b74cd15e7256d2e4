"""The lexicon: the example phrases of ``intent_lexicon.tsv`` as a weighted vocabulary, and
the mapping of a message's words onto that vocabulary (spelling, word forms, typos)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from conversations.bot.intents.base import INTENTS
from conversations.bot.intents.normalisation import (
    SYNONYMS,
    content_tokens,
    merge_key,
    normalise,
    phonetic,
    stem,
    undiminish,
)

LEXICON_PATH = Path(__file__).with_name("intent_lexicon.tsv")

# Everyday words that are one typo away from a lexicon word with another meaning
# ("estamos" ~ "estafa"): they are never typo-corrected. Words are listed here for what
# they are in Spanish, never because an evaluation line needed them.
_NO_FUZZ = frozenset(
    """
    estaban estamos estuve dijeron comi cosa cosas casa caso
    paso pasa puso tenia habia iba iban vino vine fue escribio
    banco cuenta nombre numero esposa papa senal
    """.split()
)
# Imperfect-tense verb forms ("estaba", "llegaban") are everyday narrative, never a
# lexicon word with one letter wrong.
_IMPERFECT_ENDINGS = ("aba", "abas", "aban", "abamos")
# Function-like words that say nothing about the intent on their own ("como", "va",
# "todo", "tengo"). A phrase may not be half-matched through them alone, and a phrase
# made only of them must be the whole message: on their own they ask something only
# when nothing else is said.
_GENERIC = frozenset(
    """
    como va era todo hago saco pido pedir solicito tengo dia dias bueno nada mas cuando cuanto
    esta estoy hoy otro otra sale no tiempo dijeron diga
    """.split()
)


# The names of the menu's options (templates/bot/menu/main.txt), the words customers copy
# from it. Short words are not typo-corrected in general ("creo" is not "correo"), but a
# short word that is an option name with a letter missing ("sado", "sald") is that option.
OPTION_NAMES = frozenset("saldo menu opciones asesor credito solicitud estado paz salvo renovacion privacidad".split())


@dataclass(frozen=True)
class Phrase:
    intent: str
    tokens: frozenset[str]  # canonical vocabulary tokens
    weight: float  # sum of token weights
    text: str  # content tokens joined, for the whole-sentence fallback


@dataclass(frozen=True)
class Lexicon:
    phrases: tuple[Phrase, ...]
    by_token: dict[str, tuple[int, ...]]  # token -> indices of phrases containing it
    weights: dict[str, float]  # token -> specificity weight
    keys: dict[str, str]  # phonetic key -> vocabulary token
    keys_by_initial: dict[str, tuple[str, ...]]
    stems: dict[str, str]  # stem of a phonetic key -> vocabulary token
    intent_tokens: dict[str, frozenset[str]]  # intent -> every token of its phrases
    sentence_texts: tuple[str, ...]
    generic: frozenset[str]  # vocabulary tokens of _GENERIC words


def load_lexicon_rows(path: Path = LEXICON_PATH) -> list[tuple[str, str]]:
    """(intent, phrase) rows of a lexicon file; raises ValueError on bad lines."""
    rows: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if number == 1 or not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or parts[0] not in INTENTS or not parts[1].strip():
                raise ValueError(f"{path.name}: malformed line {number}")
            rows.append((parts[0], parts[1].strip()))
    return rows


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon file as a vocabulary, built once per process."""
    tokenised = _tokenised(load_lexicon_rows())
    keys = _vocabulary(tokenised)
    weights = _weights(tokenised, keys)
    phrases = _phrases(tokenised, keys, weights)
    by_token: dict[str, list[int]] = {}
    for index, phrase in enumerate(phrases):
        for token in phrase.tokens:
            by_token.setdefault(token, []).append(index)
    generic = frozenset(keys[phonetic(w)] for w in _GENERIC if phonetic(w) in keys)
    return Lexicon(
        phrases=tuple(phrases),
        by_token={t: tuple(ix) for t, ix in by_token.items()},
        weights=weights,
        keys=keys,
        intent_tokens={
            intent: frozenset(t for p in phrases if p.intent == intent for t in p.tokens) for intent in INTENTS
        },
        stems=_stem_index(keys),
        # Typo targets: never a generic word ("comio" must not become "como").
        keys_by_initial={
            initial: tuple(k for k in keys if k[0] == initial and keys[k] not in generic)
            for initial in {k[0] for k in keys}
        },
        sentence_texts=tuple(p.text for p in phrases),
        generic=generic,
    )


def _tokenised(rows: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(intent, content tokens) of every phrase that has any."""
    tokenised: list[tuple[str, list[str]]] = []
    for intent, phrase in rows:
        tokens = content_tokens(normalise(phrase))
        if tokens:
            tokenised.append((intent, tokens))
    return tokenised


def _vocabulary(tokenised: list[tuple[str, list[str]]]) -> dict[str, str]:
    """Phonetic key -> vocabulary token, the first spelling met standing for the key."""
    keys: dict[str, str] = {}
    for _, tokens in tokenised:
        for token in tokens:
            keys.setdefault(phonetic(token), token)
    # Forms of one word share a vocabulary token: "descuento"/"descuentan",
    # "aprobado"/"aprobaron", "pagada"/"pagado", so a phrase written with one form
    # matches a message written with another.
    # Tense carries intent here ("solicite" = status, "solicitar" = new credit; "termine"
    # = paz y salvo, "terminar" = balance), so forms merge only within a tense class.
    by_stem: dict[tuple[str, str], str] = {}
    for key in sorted(keys, key=lambda k: (len(k), k)):
        merge = merge_key(key)
        if merge is not None:
            keys[key] = by_stem.setdefault(merge, keys[key])
    return keys


def _weights(tokenised: list[tuple[str, list[str]]], keys: dict[str, str]) -> dict[str, float]:
    """Token -> 1 + log(intents / intents whose phrases use it): inverse intent frequency."""
    token_intents: dict[str, set[str]] = {}
    for intent, tokens in tokenised:
        for token in tokens:
            token_intents.setdefault(keys[phonetic(token)], set()).add(intent)
    n_intents = len(INTENTS) - 1
    return {token: 1.0 + math.log(n_intents / len(owners)) for token, owners in token_intents.items()}


def _phrases(tokenised: list[tuple[str, list[str]]], keys: dict[str, str], weights: dict[str, float]) -> list[Phrase]:
    phrases: list[Phrase] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for intent, tokens in tokenised:
        # Map phrase tokens onto their canonical spelling (same phonetic key).
        canon = frozenset(keys[phonetic(t)] for t in tokens)
        if (intent, canon) in seen:
            continue
        seen.add((intent, canon))
        phrases.append(Phrase(intent, canon, sum(weights[t] for t in canon), " ".join(sorted(tokens))))
    return phrases


def _stem_index(keys: dict[str, str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for key in sorted(keys, key=len):  # the shortest form represents the stem
        word_stem = stem(key)
        if word_stem != key or len(key) >= 6:
            index.setdefault(word_stem, keys[key])
    return index


@lru_cache(maxsize=4096)
def canonical(token: str) -> str | None:
    """The vocabulary token a message token stands for, or None."""
    lex = lexicon()
    key = phonetic(token)
    if key in lex.keys:
        return lex.keys[key]
    if len(key) == 4 and key in _short_options():
        return lex.keys[_short_options()[key]]
    if len(key) < 5 or token.isdigit():
        return None
    key_stem = stem(key)
    if key_stem in lex.stems:  # another form of a known word: "desembolsar" ~ "desembolso"
        return lex.stems[key_stem]
    base = undiminish(token)
    if base is not None:
        base = SYNONYMS.get(base, base)
        base_key = phonetic(base)
        if base_key in lex.keys:
            return lex.keys[base_key]
    if token in _NO_FUZZ or token.endswith(_IMPERFECT_ENDINGS):
        return None
    max_distance = 2 if len(key) >= 9 else 1
    # Typos rarely hit the first letter; requiring it avoids "anoche" ~ "noche".
    same_start = lex.keys_by_initial.get(key[0], ())
    found = process.extractOne(key, same_start, scorer=OSA.distance, score_cutoff=max_distance)
    return lex.keys[found[0]] if found else None


@lru_cache(maxsize=1)
def _short_options() -> dict[str, str]:
    """Four-letter keys that are a five-letter option name with one letter dropped -> its key."""
    lex = lexicon()
    found: dict[str, str] = {}
    for name in OPTION_NAMES:
        key = phonetic(name)
        if len(key) == 5 and key in lex.keys:
            for i in range(len(key)):
                found.setdefault(key[:i] + key[i + 1 :], key)
    return {short: key for short, key in found.items() if short not in lex.keys}


def message_tokens(content: list[str]) -> list[str | None]:
    """Canonical tokens of a message; unknown tokens stay as None (they still count)."""
    lex = lexicon()
    result: list[str | None] = []
    i = 0
    while i < len(content):
        token = content[i]
        canon = canonical(token)
        if i + 1 < len(content):
            nxt = content[i + 1]
            joined_key = phonetic(token + nxt)
            if joined_key in lex.keys and (canon is None or canonical(nxt) is None):
                result.append(lex.keys[joined_key])  # a word split by a stray space
                i += 2
                continue
        result.append(canon)
        i += 1
    return result
