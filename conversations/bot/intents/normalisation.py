"""Normalisation: a customer's message as plain tokens, and spelling-insensitive keys for them.

Lower case without accents or punctuation, letter runs collapsed, chat spellings
expanded; then function words, synonyms and negated requests are dealt with.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from proalto.text import fold

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
    # Diminutives of the loan's own words, which the rules read ("un prestamito", "el creditico").
    "prestamito": "prestamo",
    "prestamitos": "prestamos",
    "creditico": "credito",
    "creditito": "credito",
    "libranzita": "libranza",
    "cuotica": "cuota",
    "cuoticas": "cuotas",
    # English chat words.
    "thanks": "gracias",
    "thank": "gracias",
    "help": "ayuda",
}
_KEEP_K = frozenset({"ok", "okay", "okey", "ksk", "kk"})

# "y salvo" after a short p-word is the paz y salvo, however the first word came out
# ("pz", "paza"; "pz" alone is "pues"). "pas" is already "paz" by its phonetic key and
# keeps its spelling, as "salbo" does.
_PAZ_Y_SALVO = re.compile(r"\b(?!paz |pas )p[a-z]{0,4} y (?=(salvo|salbo|zalvo|zalbo)\b)")
# ...and written as one word in any spelling ("pazysalbo", "pasisalvo").
_GLUED_PAZ_Y_SALVO = re.compile(r"^pa[sz]?[yi][sz]al[bv]os?$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LONG_RUNS = re.compile(r"([a-z])\1{2,}")
# Laughter written as a run of k's ("kkkkk"), as "jajaja" is: not "que" once collapsed.
_K_LAUGHTER = re.compile(r"\bk{3,}\b")
_K_SOFT = re.compile(r"k(?=[ei])")
_K_HARD = re.compile(r"k(?=[aou])")
# "q" before e/i without its "u" is a chat spelling of "qu" ("qiero", "qeja"): Spanish has
# no other "qe"/"qi".
_Q_WITHOUT_U = re.compile(r"q(?=[ei])")


# "cuanto" with one letter wrong ("cuamto", "cunto", "cuantp"): the word the balance, payment
# and lending rules read; the lexicon's typo tolerance skips it, as a function-like word. The
# Spanish words one letter away from it are kept.
_CUANTO_NEIGHBOURS = frozenset("cuando cuanta cuento cuarto cuantos cuantas cuantia cuanto cuenta".split())


def _cuanto(token: str) -> str:
    if 4 <= len(token) <= 7 and token not in _CUANTO_NEIGHBOURS and OSA.distance(token, "cuanto", score_cutoff=1) <= 1:
        return "cuanto"
    return token


# The words the concept rules read, in the forms customers write, so that a misspelling of one
# ("credto", "libransa", "isieron", "desprendivle", "consinar") still reads as it: a word that
# sounds the same (same phonetic key), or one letter off a word of seven letters or more with the
# same first sound. Only words outside the list are respelt, and only towards it; the shorter
# words are too close to everyday ones ("pedido" ~ "perdido", "estafa" ~ "estaba") to be guessed.
_RULE_WORDS = frozenset(
    """
    credito creditos prestamo prestamos libranza libranzas obligacion deuda deudas descuento descuentos
    descontaron descontando descuentan descontado desprendible desprendibles colilla colillas nomina pension
    autorice autorizo autoriza autorizar autorizado autorizada autorizacion solicite solicito solicita solicitar
    solicitado solicitada solicitud identidad consignar consigne consigno consignara consignacion consignaron
    desembolso desembolsar desembolsaron desembolsado hicieron hizo diciendo dijeron pidieron pidiendo aparece
    aparecen aparecio apareci aparezco falso falsa falsos falsificaron falsificada firma firmas cedula proalto
    whatsap suplantaron suplantacion estafaron estafa fraude reconozco desconozco asesor asesora documentos
    papeles pagare certificado constancia renovar renovacion retanqueo ampliacion refinanciar cobrando cobraron
    transferir transferencia depositar deposito adelantado anticipo informacion datos aprobado aprobada aprobaron
    aprobar aprobacion contrasena
    """.split()
)
# Everyday words one letter away from a rule word ("dieron" ~ "dijeron").
_NOT_RESPELT = frozenset("pedido perdido estaba estamos estaban parece dieron pidiera pidieran hiciera".split())


@lru_cache(maxsize=1)
def _rule_word_keys() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Phonetic key -> rule word; and the keys of the longer rule words by their first letter."""
    keys: dict[str, str] = {}
    for word in sorted(_RULE_WORDS):
        keys.setdefault(phonetic(word), word)
    long_keys: dict[str, list[str]] = {}
    for key in keys:
        if len(key) >= 7:
            long_keys.setdefault(key[0], []).append(key)
    return keys, {initial: tuple(found) for initial, found in long_keys.items()}


@lru_cache(maxsize=8192)
def _respell(token: str) -> str:
    """A rule word the token misspells, or the token."""
    if len(token) < 5 or token in _RULE_WORDS or token in _NOT_RESPELT or not token.isalpha():
        return token
    keys, long_keys = _rule_word_keys()
    key = phonetic(token)
    if key in keys:
        word = keys[key]
        # (A plural or a singular of a rule word keeps its own form: "documento", "cedulas".)
        return token if token.rstrip("s") == word.rstrip("s") else word
    if len(token) < 6 or token.endswith(("aba", "abas", "aban", "abamos")):
        return token
    found = process.extract(key, long_keys.get(key[0], ()), scorer=OSA.distance, score_cutoff=1, limit=2)
    if len(found) != 1:
        return token  # none, or two words one letter away ("solicitd": "solicita" or "solicitud")
    target = found[0][0]
    if _common_prefix(key, target) >= len(target) - 2:
        return token  # another form of the word ("consignan", "asesoria", "prestados"), not a typo
    return keys[target]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


# "a pedido" and "e pagado" written for "ha pedido", "he pagado" (the h is silent).
_SILENT_H_AUX = re.compile(r"\b(nunca|no|jamas|ya|yo|ella|el|usted|ud|que) (a|e) (\w+(ado|ido))\b")


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation, letter runs collapsed, chat spellings expanded."""
    text = fold(text or "")
    text = _NON_ALNUM.sub(" ", text)
    if "thank you" in text:
        text = text.replace("thank you", "thanks")
    if "kkk" in text:
        text = _K_LAUGHTER.sub("jaja", text)
    text = _LONG_RUNS.sub(r"\1", text)
    out: list[str] = []
    for token in text.split():
        # A doubled last letter is a chat stretch in Spanish ("chaoo", "holaa").
        if len(token) > 3 and token[-1] == token[-2] and token[-1] not in "l0123456789":
            token = token[:-1]
        if token in _ABBREVIATIONS:
            out.append(_ABBREVIATIONS[token])
            continue
        if token[0] == "p" and _GLUED_PAZ_Y_SALVO.match(token):
            out.append("paz y salvo")
            continue
        if "k" in token and token not in _KEEP_K:
            token = _K_HARD.sub("c", _K_SOFT.sub("qu", token))  # "kiero" -> "quiero"
            token = _ABBREVIATIONS.get(token, token)
        elif "q" in token:
            token = _Q_WITHOUT_U.sub("qu", token)  # "qiero" -> "quiero"
        if token[:2] == "cu":
            token = _cuanto(token)
        out.append(_respell(token))
    text = " ".join(out)
    if " y " in text and ("lvo" in text or "lbo" in text):  # the only texts _PAZ_Y_SALVO may change
        text = _PAZ_Y_SALVO.sub("paz y ", text)
    if " a " in text or " e " in text:
        text = _SILENT_H_AUX.sub(lambda m: f"{m.group(1)} {'ha' if m.group(2) == 'a' else 'he'} {m.group(3)}", text)
    return text


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
SYNONYMS = {
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
    # "adeudar" is formal "deber"; "saldar" is "pagar".
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


# A service the customer says they do NOT want must not decide the intent when they ask
# for something else. Only these request words are dropped after a negation, and only
# through the filler words below, so that complaints built on a negation (a charge not
# recognised or not authorised, a loan never taken, money not yet paid out) keep their
# meaning.
_NEGATABLE = frozenset(
    """
    renovar renovacion renuevo retanqueo retanquear ampliar ampliacion credito asesor
    asesora agente persona humano saldo solicitud menu opciones paz queja reclamo reclamacion
    """.split()
)
_NEGATION_FILLERS = frozenset(
    """
    quiero queria necesito me interesa busco deseo estoy pidiendo hablar con un una el la
    mi otro otra es voy a hacer sacar pedir saber del de ningun ninguna ese esa
    """.split()
)
# Words that finish a negated request word: "credito nuevo", "paz y salvo".
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


def request_tokens(normalised: str) -> list[str]:
    """The tokens with synonyms merged and the services the customer refuses dropped."""
    return _drop_negated_requests([SYNONYMS.get(t, t) for t in normalised.split()])


def content_tokens(normalised: str) -> list[str]:
    """Tokens that carry meaning; a message made only of function words keeps them all."""
    tokens = request_tokens(normalised)
    content = [t for t in tokens if t not in _STOPWORDS]
    return content or tokens


# Customers write as they speak (seseo, b/v, silent h) and inflect freely, so words are
# compared by a phonetic key and, failing that, by its stem.
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


def phonetic(token: str) -> str:
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


def stem(key: str) -> str:
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


def merge_key(key: str) -> tuple[str, str] | None:
    """(stem, tense class) of a phonetic key, or None when the form must stay apart."""
    if len(key) < 6:
        return None
    word_stem = stem(key)
    suffix = key[len(word_stem) :]
    if suffix in _PRESENT_FORMS:
        return word_stem, "present"
    if suffix in _PAST_FORMS:
        return word_stem, "past"
    return None


# Diminutives are everyday Colombian speech: "prestamito", "platica", "cuotica".
_DIMINUTIVES = (
    ("itos", "o"),
    ("itas", "a"),
    ("ito", "o"),
    ("ita", "a"),
    ("icos", "o"),
    ("icas", "a"),
    ("ico", "o"),
    ("ica", "a"),
)


def undiminish(token: str) -> str | None:
    """The plain form of a word that ends like a diminutive, else None."""
    for suffix, vowel in _DIMINUTIVES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            base = token[: -len(suffix)]
            if base.endswith("qu"):  # "poquito" -> "poco"
                base = base[:-2] + "c"
            return base + vowel
    return None
