"""Intent recogniser: free text from a WhatsApp customer -> one of INTENTS.

Two backends:

* ``local`` (default): normalisation, a phrase lexicon (``intent_lexicon.tsv``) and
  fuzzy token matching with rapidfuzz. No network, pure, well under a millisecond.
* ``llm``: an OpenAI-compatible chat-completions endpoint; any failure (network,
  timeout, HTTP error, bad JSON, an intent that is not ours) falls back to ``local``.

How the local backend scores a message
--------------------------------------
1. ``normalise`` (lower case, no accents, no punctuation, collapsed letter runs, chat
   abbreviations expanded), then stop words are dropped.
2. Every remaining token is mapped onto the lexicon vocabulary: same phonetic key
   (Colombian seseo, b/v, silent h, qu/k/c, plural s...), else same crude stem
   ("desembolsar" ~ "desembolso"), else a rapidfuzz Levenshtein look-up tolerating one
   typo (two in long words, first letter kept). Adjacent fragments are joined when the
   join is a known word ("ase sor" -> "asesor"). A few synonyms are merged
   (prestamo/libranza -> credito, plata -> dinero, mesada -> pension).
3. Each lexicon phrase is compared with the message as a bag of tokens weighted by how
   specific a token is to an intent (inverse "intent frequency"). A phrase scores
   ``overlap * phrase_coverage * max(phrase_coverage, message_coverage)``: fully
   present, specific phrases win; half-present phrases count for much less.
4. Rules on top: a fully matched complaint/fraud phrase (``queja``) wins over
   everything; a few pairs resolve in favour of the more specific request
   (renovacion > nuevo_credito, estado_solicitud > nuevo_credito, paz_y_salvo > saldo);
   greetings (``menu``) and thanks (``despedida``) only win when the whole message is
   made of their words; below a threshold the answer is ``desconocido``. A
   whole-sentence rapidfuzz ratio against the example phrases rescues the rest.

Nothing here logs the user's text.
"""

from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import requests
from django.conf import settings
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

logger = logging.getLogger(__name__)

INTENTS: tuple[str, ...] = (
    "saldo",
    "estado_solicitud",
    "paz_y_salvo",
    "renovacion",
    "nuevo_credito",
    "asesor",
    "queja",
    "privacidad",
    "menu",
    "despedida",
    "desconocido",
)

LEXICON_PATH = Path(__file__).with_name("intent_lexicon.tsv")

# Intents that only win when no "service" intent matches ("hola, cuanto debo" -> saldo).
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

# Greetings and thanks count for less than a real request in the same message.
_WEAK_FACTOR = 0.6
# (winner, loser): when both fully match, the first is what the customer is asking for
# ("cuanto me prestan si renuevo" is a renewal; "ya me aprobaron el credito" a status).
_DOMINANCE = (
    ("renovacion", "nuevo_credito"),
    ("estado_solicitud", "nuevo_credito"),
    ("paz_y_salvo", "saldo"),
)
# Minimum phrase score (see module docstring) to accept a lexicon match.
_MIN_SCORE = 1.3
# Minimum whole-sentence rapidfuzz ratio for the fallback match.
_MIN_SENTENCE_RATIO = 86.0


@dataclass(frozen=True)
class IntentResult:
    intent: str  # one of INTENTS
    confidence: float  # 0..1
    backend: str  # "local" or "llm"


# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------

# Chat abbreviations and frequent phone spellings -> plain Spanish.
_ABBREVIATIONS = {
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "xq": "porque",
    "xk": "porque",
    "pq": "porque",
    "pk": "porque",
    "porq": "porque",
    "porke": "porque",
    "x": "por",
    "xa": "para",
    "pa": "para",
    "tb": "tambien",
    "tmb": "tambien",
    "tbn": "tambien",
    "tambn": "tambien",
    "xfa": "por favor",
    "xfavor": "por favor",
    "xfis": "por favor",
    "porfa": "por favor",
    "porfis": "por favor",
    "porfavor": "por favor",
    "pls": "por favor",
    "plis": "por favor",
    "plz": "por favor",
    "d": "de",
    "dl": "del",
    "c": "se",
    "i": "y",
    "msj": "mensaje",
    "msm": "mensaje",
    "cel": "celular",
    "tel": "telefono",
    "info": "informacion",
    "bn": "bien",
    "dnd": "donde",
    "nd": "nada",
    "ps": "pues",
    "pz": "pues",
    "grax": "gracias",
    "grx": "gracias",
    "grs": "gracias",
    "grac": "gracias",
    "tks": "gracias",
    "thx": "gracias",
    "ola": "hola",
    "hla": "hola",
    "bno": "bueno",
    "ud": "usted",
    "uds": "ustedes",
    "sr": "senor",
    "sra": "senora",
    "srta": "senorita",
    "dcto": "descuento",
    "dto": "descuento",
    "nro": "numero",
    "num": "numero",
    "wsp": "whatsapp",
    "wpp": "whatsapp",
    "vdd": "verdad",
    "pazysalvo": "paz y salvo",
    "pazisalvo": "paz y salvo",
    "pasysalvo": "paz y salvo",
    "pyz": "paz y salvo",
    "pys": "paz y salvo",
    "chau": "chao",
    "chaito": "chao",
    "bay": "bye",
    "bai": "bye",
}
_KEEP_K = frozenset({"ok", "okay", "okey", "ksk", "kk"})

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LONG_RUNS = re.compile(r"([a-z])\1{2,}")
_K_SOFT = re.compile(r"k(?=[ei])")
_K_HARD = re.compile(r"k(?=[aou])")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text with chat abbreviations expanded.

    >>> normalise("¡¡Holaaa!! xq no me han desembolsado??")
    'hola porque no me han desembolsado'
    """
    text = _strip_accents((text or "").lower())
    text = _NON_ALNUM.sub(" ", text)
    text = _LONG_RUNS.sub(r"\1", text)
    out: list[str] = []
    for token in text.split():
        # A doubled last letter is a chat stretch in Spanish ("chaoo", "holaa").
        if len(token) > 3 and token[-1] == token[-2] and token[-1] not in "l0123456789":
            token = token[:-1]
        if token in _ABBREVIATIONS:
            out.append(_ABBREVIATIONS[token])
            continue
        if "k" in token and token not in _KEEP_K:
            token = _K_HARD.sub("c", _K_SOFT.sub("qu", token))  # "kiero" -> "quiero"
            token = _ABBREVIATIONS.get(token, token)
        out.append(token)
    return " ".join(out)


# Function words and politeness fillers: they carry no intent.
_STOPWORDS = frozenset(
    """
    a al algo ante aqui con de del el ella ellos en entre es esa ese eso esta estan este ok
    esto ha han has hay he la las le les lo los me mi mis muy o os para pero por pues que
    se sea ser si sido sobre son su sus te ti tu tus u un una unas uno unos usted ustedes
    vos y ya yo nos nosotros cual cuales aca alla ahi mire oiga vea entonces
    favor porfavor sumerce senor senora senorita senores senoras don dona doctor doctora
    quiero quisiera queria necesito necesitaba deseo desearia gustaria podria puede
    pueden puedo podrian saber hacer
    """.split()
)


# Words used interchangeably by customers; matched as one.
_SYNONYMS = {
    "prestamo": "credito",
    "prestamos": "credito",
    "creditos": "credito",
    "libranza": "credito",
    "libranzas": "credito",
    "plata": "dinero",
    "platica": "dinero",
    "plática": "dinero",
    "mesada": "pension",
    "mesadas": "pension",
    "papeles": "documentos",
    "papeleria": "documentos",
    "documentacion": "documentos",
    "sueldo": "nomina",
    "salario": "nomina",
    "jamas": "nunca",
    # "adeudar" is formal "deber"; "saldar" is "pagar" ("ya salde" = "ya pague").
    "adeudo": "debo",
    "adeudamos": "debo",
    "adeudando": "debiendo",
    "adeudar": "debo",
    "adeuda": "debo",
    "saldar": "pagar",
    "salde": "pague",
    "saldamos": "pague",
    "saldado": "pagado",
    "saldada": "pagado",
    "certificacion": "certificado",
    "certificaciones": "certificado",
    "certificados": "certificado",
}


# "no quiero renovar, quiero saber cuanto debo": a service the customer says they do
# NOT want must not decide the intent. Only these request words are dropped after a
# negation, and only through the filler words below, so that complaints built on a
# negation ("no reconozco", "no autorice", "no tengo credito", "no me han desembolsado")
# keep their meaning.
_NEGATABLE = frozenset(
    """
    renovar renovacion renuevo retanqueo retanquear ampliar ampliacion credito asesor
    asesora agente persona humano saldo solicitud menu opciones paz
    """.split()
)
_NEGATION_FILLERS = frozenset(
    """
    quiero queria necesito me interesa busco deseo estoy pidiendo hablar con un una el la
    mi otro otra es voy a hacer sacar pedir saber del de ningun ninguna ese esa
    """.split()
)
# Words that belong to a negated request: "no quiero un credito nuevo", "paz y salvo".
_NEGATED_TAIL = frozenset({"nuevo", "nueva", "otro", "mas", "y", "salvo"})


def _drop_negated_requests(tokens: list[str]) -> list[str]:
    """Remove "no <fillers> <request word>" spans when something else is asked for."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "no":
            j = i + 1
            while j < len(tokens) and j - i <= 5 and tokens[j] in _NEGATION_FILLERS:
                j += 1
            if j < len(tokens) and tokens[j] in _NEGATABLE:
                end = j + 1
                while end < len(tokens) and tokens[end] in _NEGATED_TAIL:
                    end += 1
                rest = out + tokens[end:]
                if any(t not in _STOPWORDS for t in rest):
                    i = end
                    continue
        out.append(tokens[i])
        i += 1
    return out


def _content_tokens(normalised: str) -> list[str]:
    """Tokens that carry meaning; a message made only of function words keeps them all."""
    tokens = _drop_negated_requests([_SYNONYMS.get(t, t) for t in normalised.split()])
    content = [t for t in tokens if t not in _STOPWORDS]
    return content or tokens


_PHONETIC_RULES = (
    (re.compile(r"ch"), "\x01"),
    (re.compile(r"h"), ""),
    (re.compile(r"qu"), "k"),
    (re.compile(r"c(?=[ei])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"v"), "b"),
    (re.compile(r"ll"), "y"),
    (re.compile(r"y$"), "i"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile("\x01"), "ch"),
)


def _phonetic(token: str) -> str:
    """A spelling-insensitive key: "pas"/"paz", "grasias"/"gracias", "renobar"/"renovar".

    A final plural "s" is dropped from longer words ("descuentos" ~ "descuento").
    """
    for pattern, repl in _PHONETIC_RULES:
        token = pattern.sub(repl, token)
    if len(token) > 4 and token.endswith("s"):
        token = token[:-1]
    return token


_SUFFIXES = sorted(
    """
    aron eron ieron aban ando iendo ado ada ido ida ados adas idos idas amos emos imos
    aria arian aremos ara aran ar er ir an en as es o a e i
    """.split(),
    key=len,
    reverse=True,
)


def _stem(key: str) -> str:
    """Crude Spanish stem of a phonetic key, for words of six letters or more."""
    if len(key) < 6:
        return key
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 5:
            return key[: -len(suffix)]
    return key


# Inflection classes whose forms may share one vocabulary token.
_PRESENT_FORMS = frozenset({"", "o", "a", "an", "en", "ar", "er", "ir"})  # nouns, present, infinitive
_PAST_FORMS = frozenset({"ado", "ada", "ido", "ida", "aron", "eron", "ieron", "ando", "iendo"})


def _merge_key(key: str) -> tuple[str, str] | None:
    """(stem, tense class) of a phonetic key, or None when the form must stay apart."""
    if len(key) < 6:
        return None
    stem = _stem(key)
    suffix = key[len(stem):]
    if suffix in _PRESENT_FORMS:
        return stem, "present"
    if suffix in _PAST_FORMS:
        return stem, "past"
    return None


# --------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Phrase:
    intent: str
    tokens: frozenset[str]  # canonical vocabulary tokens
    weight: float  # sum of token weights
    text: str  # content tokens joined, for the whole-sentence fallback


@dataclass(frozen=True)
class _Lexicon:
    phrases: tuple[_Phrase, ...]
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
def _lexicon() -> _Lexicon:
    rows = load_lexicon_rows()
    token_intents: dict[str, set[str]] = {}
    tokenised: list[tuple[str, list[str]]] = []
    keys: dict[str, str] = {}
    for intent, phrase in rows:
        tokens = _content_tokens(normalise(phrase))
        if not tokens:
            continue
        tokenised.append((intent, tokens))
        for token in tokens:
            keys.setdefault(_phonetic(token), token)
    # Forms of one word share a vocabulary token: "descuento"/"descuentan",
    # "aprobado"/"aprobaron", "pagada"/"pagado", so a phrase written with one form
    # matches a message written with another.
    # Tense carries intent here ("solicite" = status, "solicitar" = new credit; "termine"
    # = paz y salvo, "terminar" = balance), so forms merge only within a tense class.
    by_stem: dict[tuple[str, str], str] = {}
    for key in sorted(keys, key=lambda k: (len(k), k)):
        merge_key = _merge_key(key)
        if merge_key is not None:
            keys[key] = by_stem.setdefault(merge_key, keys[key])
    for intent, tokens in tokenised:
        for token in tokens:
            token_intents.setdefault(keys[_phonetic(token)], set()).add(intent)
    n_intents = len(INTENTS) - 1
    weights = {
        token: 1.0 + math.log(n_intents / len(owners)) for token, owners in token_intents.items()
    }
    phrases: list[_Phrase] = []
    by_token: dict[str, list[int]] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    for intent, tokens in tokenised:
        # Map phrase tokens onto their canonical spelling (same phonetic key).
        canon = frozenset(keys[_phonetic(t)] for t in tokens)
        if (intent, canon) in seen:
            continue
        seen.add((intent, canon))
        index = len(phrases)
        phrases.append(
            _Phrase(intent, canon, sum(weights[t] for t in canon), " ".join(sorted(tokens)))
        )
        for token in canon:
            by_token.setdefault(token, []).append(index)
    generic = frozenset(keys[_phonetic(w)] for w in _GENERIC if _phonetic(w) in keys)
    return _Lexicon(
        phrases=tuple(phrases),
        by_token={t: tuple(ix) for t, ix in by_token.items()},
        weights=weights,
        keys=keys,
        intent_tokens={
            intent: frozenset(t for p in phrases if p.intent == intent for t in p.tokens)
            for intent in INTENTS
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


def _stem_index(keys: dict[str, str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for key in sorted(keys, key=len):  # the shortest form represents the stem
        stem = _stem(key)
        if stem != key or len(key) >= 6:
            index.setdefault(stem, keys[key])
    return index


# Everyday words that are one typo away from a lexicon word with another meaning
# ("estaba" ~ "estafa", "comio" ~ "como"): they are never typo-corrected.
_NO_FUZZ = frozenset(
    """
    estaba estaban estamos estuvo estuve dijo dijeron comio comi cosa cosas casa caso
    paso pasa puso tenia habia hizo iba iban vino vine fui fue llamo escribio mando
    banco cuenta nombre numero hijo hija esposa esposo mama papa senal clima
    """.split()
)
# Function-like words that say nothing about the intent on their own ("como", "va",
# "todo", "tengo"). A phrase may not be half-matched through them alone, and a phrase
# made only of them must be the whole message ("en que va eso" -> "va": yes; "va a
# llover hoy": no).
_GENERIC = frozenset(
    """
    como va era todo hago saco pido solicito tengo dia dias bueno nada mas cuando cuanto
    esta estoy hoy otro otra sale no tiempo dijeron diga
    """.split()
)


# Diminutives are everyday Colombian speech: "prestamito", "platica", "cuotica".
_DIMINUTIVES = (("itos", "o"), ("itas", "a"), ("ito", "o"), ("ita", "a"), ("icos", "o"),
                ("icas", "a"), ("ico", "o"), ("ica", "a"))


def _undiminish(token: str) -> str | None:
    for suffix, vowel in _DIMINUTIVES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            base = token[: -len(suffix)]
            if base.endswith("qu"):  # "poquito" -> "poco"
                base = base[:-2] + "c"
            return base + vowel
    return None


@lru_cache(maxsize=4096)
def _canonical(token: str) -> str | None:
    """The vocabulary token a message token stands for, or None."""
    lex = _lexicon()
    key = _phonetic(token)
    if key in lex.keys:
        return lex.keys[key]
    if len(key) < 5 or token.isdigit():
        return None
    stem = _stem(key)
    if stem in lex.stems:  # another form of a known word: "desembolsar" ~ "desembolso"
        return lex.stems[stem]
    base = _undiminish(token)
    if base is not None:
        base = _SYNONYMS.get(base, base)
        base_key = _phonetic(base)
        if base_key in lex.keys:
            return lex.keys[base_key]
    if token in _NO_FUZZ:
        return None
    max_distance = 2 if len(key) >= 9 else 1
    # Typos rarely hit the first letter; requiring it avoids "anoche" ~ "noche".
    same_start = lex.keys_by_initial.get(key[0], ())
    found = process.extractOne(key, same_start, scorer=Levenshtein.distance, score_cutoff=max_distance)
    return lex.keys[found[0]] if found else None


def _message_tokens(content: list[str]) -> list[str | None]:
    """Canonical tokens of a message; unknown tokens stay as None (they still count)."""
    lex = _lexicon()
    result: list[str | None] = []
    i = 0
    while i < len(content):
        token = content[i]
        canon = _canonical(token)
        if i + 1 < len(content):
            nxt = content[i + 1]
            joined_key = _phonetic(token + nxt)
            if joined_key in lex.keys and (canon is None or _canonical(nxt) is None):
                result.append(lex.keys[joined_key])  # "ase sor" -> "asesor"
                i += 2
                continue
        result.append(canon)
        i += 1
    return result


# --------------------------------------------------------------------------------------
# Local backend
# --------------------------------------------------------------------------------------


def _mentions_existing_loan(content: list[str]) -> bool:
    """The customer says they already have a loan ("el credito que tengo", "llevo pagado")."""
    for index, token in enumerate(content):
        if token in ("tengo", "llevo", "actual", "vigente") and (
            index == 0 or content[index - 1] not in ("no", "nunca")
        ):
            return True
    return False


# --------------------------------------------------------------------------------------
# Concept rules
# --------------------------------------------------------------------------------------
# The lexicon matches words; some intents are decided by how words combine. These
# rules read the normalised text (accents, punctuation and chat spellings already
# handled) and name a concept, never a particular sentence.

_LOAN = r"(credito|creditos|prestamo|prestamos|libranza|libranzas|obligacion)"

# A deduction or charge on the customer's payroll/pension.
_CHARGE = re.compile(
    r"\b(descont\w*|descuent\w*|cobr\w*|debit\w*|"
    r"(aparece|aparecen|apareciendo|figura|figuran|sale|salen|saliendo)( \w+){0,3} "
    r"(descuento|cobro|" + _LOAN[1:-1] + r"|deuda))\b"
)
# The loan is paid off ("ya pague", "termine de pagar", "despues del paz y salvo").
_PAID = re.compile(
    r"\b(ya (le |les |lo |la )?(pague|cancele|pague|termine|acabe)"
    r"(?! (la mitad|varias|unas|algunas|parte|\d+))|"
    r"(termine|acabe) de pagar|pague (todo|la totalidad|el total|la ultima)|"
    r"(lo|la) (tengo|tenia) (pago|paga|pagado|pagada|cancelado|cancelada)|"
    r"ya (esta|estaba|quedo|habia) (pago|paga|pagado|pagada|cancelad[oa]|terminad[oa])|"
    r"ya (le |les )?(pague|cancele)|ya no (le |les )?debo|"
    r"(despues del?|ya estoy a|estando a|quede a|ya tengo el|tengo el|me dieron el|"
    r"me expidieron el|con) paz y salvo|"
    r"(que|credito|libranza|prestamo) ya (pague|cancele|termine))"
)
# The customer does not recognise the charge.
_UNKNOWN = re.compile(
    r"\b((no|nunca|jamas) (\w+ ){0,2}(solicite|pedi|saque|autorice|reconozco|"
    r"corresponde\w*|debo|pacte|acorde|firme)|"
    r"(que|los|las) no (son|eran|es|era|corresponden)|"
    r"sin (mi )?(autorizacion|permiso|consentimiento)|"
    r"no (tengo|he tenido|tuve) (ningun |ninguna |ni un |ni una )?" + _LOAN + r")\b"
)
# More than agreed.
_EXTRA = re.compile(
    r"\b(de mas|demas|doble|dos veces|dos cuotas|mas de lo|excesiv\w*|injust\w*|"
    r"no es lo que|no era lo que|mas alto de lo|mas caro de lo)\b"
)
_CONTINUE = re.compile(r"\b(sigu\w+|continu\w+|todavia|aun|volvi\w* a|otra vez|estan|esta)\b")
_STOP_REQUEST = re.compile(
    r"\b(dejen de|deje de|dejar de|quit\w+|levant\w+|retir\w+|suspend\w+)\b"
)
# A loan nobody asked for: "me aparece una libranza que yo no solicite".
_UNREQUESTED_LOAN = re.compile(
    r"\b" + _LOAN + r"\b.{0,30}\b(no|nunca|jamas) (\w+ ){0,2}(solicite|pedi|saque|autorice|"
    r"he pedido|he solicitado|he sacado|firme)\b|"
    r"\b(nunca|jamas) (he )?(solicite|pedi|saque|solicitado|pedido|sacado) (\w+ ){0,2}" + _LOAN
)

# Someone asks the customer for money (a classic scam in a lender's name).
_MONEY_REQUEST = re.compile(
    r"\b(pid(io|ieron|iendo|iendome|iendonos|e|en)|me piden|exig\w*|cobraron|"
    r"quer(ia|ian) que)\b.{0,50}\b(plata|dinero|consign\w*|transfer\w*|deposit\w*|"
    r"pag(ar|ara|aramos|ue|o)|adelant\w*|comision|nequi|daviplata|efecty|giro)\b|"
    r"\b(consignar|consignara|consignacion|transferencia|depositar|deposito)\b"
    r".{0,40}\bpara (que me )?(aprob\w*|desembols\w*|el desembolso|sacar|agiliz\w*|el estudio)"
)
_IMPERSONATION = re.compile(
    r"\b((a|en) nombre de|de parte de) (proalto|ustedes|la empresa)|"
    r"\b(dicen|dice|dijo|decia|diciendo|dijeron) (que )?(ser|era|eran|es|son|que eran|"
    r"trabaj\w*)\b|\b(hizo|hacen|hacia|haciendose|hicieron) pasar\b|"
    r"\b(un|una) (tipo|senor|senora|man|muchacho|muchacha|persona|senorita|joven|chica|"
    r"chico|hombre|mujer|numero|desconocid[oa])\b|\balguien (me|nos)\b|"
    r"\b(me|nos) (escribio|escribieron|llamo|llamaron|contacto|contactaron|llego)\b"
)
_SCAM_PURPOSE = re.compile(
    r"\bpara (que me )?(aprob\w*|el desembolso|desembols\w*|sacar|agiliz\w*|el estudio|"
    r"estudio|salir)|\bpor adelantado\b|\banticipad\w*\b|\bes (real|verdad|cierto|"
    r"confiable|legal|seguro|fraude|estafa)\b"
)

# A payoff certificate: a document + the loan is paid.
_DOCUMENT = re.compile(
    r"\b(certificad\w*|certificacion\w*|constancia|carta|documento|soporte|paz y salvo)\b"
)

# How ProAlto treats the customer's personal data.
_DATA = re.compile(
    r"\bdatos\b|\b(mi|mis|la|su) informacion (personal|que (les |le )?(doy|di|damos|mando|"
    r"envio|entrego|dejo|suministro))|\b(mi|mis) informacion\b|\binformacion personal\b"
)
_DATA_USE = re.compile(
    r"\b(trat\w*|manej\w*|proteg\w*|protecc\w*|cuid\w*|usan|uso|utiliz\w*|compart\w*|"
    r"vend\w*|guard\w*|supresion|supri\w*|borr\w*|elimin\w*|segur\w*|confidencial\w*|"
    r"hacen con|tercer\w*|filtr\w*|almacen\w*|custodi\w*|privad\w*)\b"
)

# The money of an application is (or was promised to be) on its way.
_DISBURSEMENT = re.compile(
    r"\b(me|nos) ((van|iban|iba|va) a |(ha|han|habian|habia) )?"
    r"(consign|desembols|gir(ar|an|aban|aron|en|ado)|deposit)\w*|"
    r"\bno (me |nos )?(ha|han) (llegado|entrado|caido|consignado|desembolsado|girado|"
    r"depositado)( \w+){0,4} (plata|dinero|nada|cuenta|desembolso|platica|"
    + _LOAN[1:-1] + r")\b|"
    r"\b(ya )?(habia|estaba|esta|estaria) (salido|aprobad[oa]|listo|lista|desembolsad[oa])"
    r"\b.{0,40}\b(pero|y) (no|nada|nunca|aun no|todavia no)\b"
)

# "prestan a personas de 80 anos?": who may borrow, by age.
_AGE = re.compile(
    r"\b(\d{2,3} anos|edad|tercera edad|adult[oa]s? mayor\w*|mayores de \d+|ancian\w*|viejit\w*)\b"
)
_LENDING = re.compile(r"\b(prest\w*|" + _LOAN[1:-1] + r"|financi\w*)\b")

# The customer asks for more money on the loan they already have.
_EXISTING_LOAN = re.compile(
    r"\b" + _LOAN + r" (que )?(tengo|llevo|vigente|actual)\b|"
    r"(?<!no )(?<!nunca )\b(tengo|llevo) (un |una |el |la |mi )?" + _LOAN + r"\b|"
    r"\bmi " + _LOAN + r"\b(?! (nuev[oa]))|"
    r"\b(voy a|estoy por|me falta poco para|estoy terminando de) (terminar|acabar)"
)
_MORE_MONEY = re.compile(
    r"\b(mas|otro|otra|otrico|poquito|extra|adicional|de nuevo|otra vez|volver a|"
    r"vuelvan a|unir|juntar|sumar|aumentar|ampliar|nuevo|uno nuevo)\b"
)

# "la asesora me dijo que ...": a report of what an advisor said, not a request for one.
_ADVISOR_NARRATIVE = re.compile(
    r"\b(el|la|un|una|mi|su)? ?(asesor|asesora|ejecutivo|ejecutiva|funcionario|funcionaria|"
    r"agente|vendedor|vendedora|comercial|senorita|muchacha|muchacho)"
    r"(?= (me|nos|le) (dijo|dijeron|informo|explico|prometio|comento|aseguro|confirmo|"
    r"ofrecio|conto|indico)\b)"
)


def _concept_intent(norm: str) -> str | None:
    """An intent fixed by a combination of words, or None."""
    charge = _CHARGE.search(norm)
    if charge:
        unknown = _UNKNOWN.search(norm) or _EXTRA.search(norm)
        paid = _PAID.search(norm)
        if unknown:
            return "queja"
        if paid:
            # "ya pague, necesito el paz y salvo para que dejen de descontar" asks for
            # the certificate; "ya pague y me siguen descontando" complains.
            if not _STOP_REQUEST.search(norm) or _CONTINUE.search(norm):
                return "queja"
    if _UNREQUESTED_LOAN.search(norm):
        return "queja"
    if _MONEY_REQUEST.search(norm) and (_IMPERSONATION.search(norm) or _SCAM_PURPOSE.search(norm)):
        return "queja"
    if _DOCUMENT.search(norm) and _PAID.search(norm) and "cuanto" not in norm.split():
        return "paz_y_salvo"
    if _DATA.search(norm) and _DATA_USE.search(norm):
        return "privacidad"
    return None


def _recognise_local(text: str) -> IntentResult:
    lex = _lexicon()
    norm = _ADVISOR_NARRATIVE.sub("", normalise(text))
    content = _content_tokens(norm)
    if not content:
        return IntentResult("desconocido", 1.0, "local")
    concept = _concept_intent(norm)
    if concept is not None:
        return IntentResult(concept, 0.9, "local")
    tokens = _message_tokens(content)
    known = {t for t in tokens if t is not None}
    # Unknown words count as one unit each: they dilute how much of the message we explain.
    text_weight = sum(lex.weights[t] for t in known) + sum(1.0 for t in tokens if t is None)

    best: dict[str, tuple[float, float]] = {}  # intent -> (score, coverage of the phrase)
    explained: dict[str, float] = {}
    best_tokens: dict[str, frozenset[str]] = {}
    whole: set[str] = set()  # service intents with a phrase that explains the whole message
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
            # "como hago una torta" is not "como hago para sacar un credito", and
            # "va a llover hoy" is not "en que va eso".
            if phrase_coverage < 0.999 or text_coverage < 0.999:
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
        elif phrase_coverage >= 0.999 and text_coverage >= 0.999:
            whole.add(phrase.intent)
        if score > best.get(phrase.intent, (0.0, 0.0))[0]:
            best[phrase.intent] = (score, phrase_coverage)
            explained[phrase.intent] = overlap
            best_tokens[phrase.intent] = phrase.tokens

    eligible = {i: v for i, v in best.items() if v[0] >= _MIN_SCORE}
    intent = None
    if eligible:
        # A request beats a greeting or a thank-you in the same message, unless every
        # word of the message is greeting/closing talk ("ya no necesito nada mas") and
        # no request phrase explains the whole message ("que necesito para que me
        # presten" is a request although "prestan" also appears in a menu phrase).
        pool = [i for i in eligible if i not in _WEAK_INTENTS]
        if None not in tokens and not (whole & set(eligible)):
            pool = [i for i in eligible if i in _WEAK_INTENTS and known <= lex.intent_tokens[i]] or pool
        pool = pool or list(eligible)
        intent = max(pool, key=lambda i: (eligible[i][0], -_TIE_ORDER.index(i)))
        for winner, loser in _DOMINANCE:
            if (
                intent == loser
                and winner in eligible
                and eligible[winner][1] >= 0.999
                # ...unless the loser's phrase already contains the winner's: "cuanto
                # pago para quedar a paz y salvo" is a balance question.
                and not (eligible[loser][1] >= 0.999 and best_tokens[winner] < best_tokens[loser])
            ):
                intent = winner
        if intent == "nuevo_credito" and _mentions_existing_loan(content):
            # "la libranza que tengo con ustedes": a question about the current loan.
            others = [
                i for i in eligible
                if i not in _WEAK_INTENTS and i != intent and eligible[i][1] >= 0.999
            ]
            if others:
                intent = max(others, key=lambda i: (eligible[i][0], -_TIE_ORDER.index(i)))
        queja = eligible.get(_PRIORITY_INTENT)
        if queja and queja[1] >= 0.999:
            intent = _PRIORITY_INTENT
    if intent in (None, "nuevo_credito", "menu", "despedida", "asesor") and _DISBURSEMENT.search(norm):
        # "me dijeron que en ocho dias me consignaban": the money of an application.
        return IntentResult("estado_solicitud", 0.8, "local")
    if intent in (None, "nuevo_credito", "menu", "despedida", "asesor") and (
        _AGE.search(norm) and _LENDING.search(norm)
    ):
        return IntentResult("nuevo_credito", 0.8, "local")
    if intent == "nuevo_credito" and _EXISTING_LOAN.search(norm) and _MORE_MONEY.search(norm):
        # "tengo un credito con ustedes y necesito otro poquito": more on the same loan.
        return IntentResult("renovacion", 0.8, "local")
    if intent is not None:
        score, coverage = best[intent]
        share = min(1.0, explained[intent] / text_weight)
        confidence = 0.5 + 0.3 * coverage * min(1.0, score / 3.0) + 0.2 * share
        return IntentResult(intent, round(min(confidence, 1.0), 3), "local")

    # Whole-sentence fallback: the message as a whole resembles an example phrase.
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
    return IntentResult("desconocido", 0.5, "local")


# --------------------------------------------------------------------------------------
# LLM backend
# --------------------------------------------------------------------------------------

_SYSTEM_PROMPT = """Eres el clasificador de intenciones del asistente de WhatsApp de ProAlto, \
una entidad colombiana de creditos de libranza (descuento por nomina o pension). \
Clasifica el mensaje del cliente en exactamente una de estas intenciones:
- saldo: saldo, cuanto debe, cuotas, valor de la cuota, proximo descuento, estado de cuenta.
- estado_solicitud: estado de una solicitud de credito ya hecha, aprobacion, desembolso.
- paz_y_salvo: certificado de paz y salvo / de que ya pago toda la deuda.
- renovacion: renovar o ampliar el credito actual (retanqueo, ampliacion, novacion, refinanciar).
- nuevo_credito: pedir un credito nuevo, requisitos, tasas, cuanto le prestan.
- asesor: hablar con una persona, asesor, agente, que lo llamen.
- queja: queja, reclamo, PQR, fraude, robo, suplantacion, descuentos no reconocidos o de mas.
- privacidad: politica de privacidad, habeas data, borrar o actualizar sus datos, revocar autorizacion, no recibir mas mensajes.
- menu: saludo sin peticion (hola, buenas), menu, inicio, opciones, volver.
- despedida: despedida o agradecimiento final (gracias, chao, eso es todo).
- desconocido: cualquier otra cosa.
Si hay fraude o queja, elige queja. Responde solo JSON: {"intent": "<intencion>"}."""


class _LLMError(Exception):
    pass


def _recognise_llm(text: str) -> IntentResult:
    base = str(getattr(settings, "OPENAI_BASE_URL", "")).rstrip("/")
    timeout = float(getattr(settings, "OPENAI_TIMEOUT_SECONDS", 4) or 4)
    payload = {
        "model": getattr(settings, "OPENAI_MODEL", "gpt-4o-mini"),
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": _SYSTEM_PROMPT},
            {"role": "user", "content": text},
        ],
    }
    try:
        response = requests.post(
            f"{base}/chat/completions",
            json=payload,
            headers={"Authorization": f"Bearer {settings.OPENAI_API_KEY}"},
            timeout=timeout,
        )
    except requests.Timeout:
        raise _LLMError("timeout") from None
    except requests.RequestException as exc:
        raise _LLMError(f"request failed ({type(exc).__name__})") from None
    if response.status_code != 200:
        raise _LLMError(f"HTTP {response.status_code}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
        answer = json.loads(content)
        intent = str(answer["intent"]).strip().lower()
    except (ValueError, KeyError, IndexError, TypeError):
        raise _LLMError("unparseable answer") from None
    if intent not in INTENTS:
        raise _LLMError("answer is not a known intent")
    confidence = answer.get("confidence", 0.9) if isinstance(answer, dict) else 0.9
    try:
        confidence = min(1.0, max(0.0, float(confidence)))
    except (TypeError, ValueError):
        confidence = 0.9
    return IntentResult(intent, confidence, "llm")


# --------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------


def recognise(text: str) -> IntentResult:
    """Recognise the intent of a customer's free-text message."""
    backend = getattr(settings, "INTENT_BACKEND", "local") or "local"
    if backend == "llm" and getattr(settings, "OPENAI_API_KEY", ""):
        try:
            return _recognise_llm(text)
        except _LLMError as exc:
            # The reason only: never the user's text.
            logger.warning("LLM intent backend failed (%s); using the local recogniser", exc)
    return _recognise_local(text)
