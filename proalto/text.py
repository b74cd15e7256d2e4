"""One way to fold what customers type (case, accents, punctuation), so that every module
compares "Cédula", "cedula" and "CÉDULA" alike."""

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^\w ]+")


def fold(text: str) -> str:
    """Lower case without accents: "Aprobación" -> "aprobacion", "PEÑA" -> "pena".

    NFKD also spells out compatibility characters ("ﬁ" -> "fi", "²" -> "2"), so what
    looks alike on a phone compares alike here.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def simplify(text: str) -> str:
    """Folded, punctuation made spaces, one space between words: "Sí, por favor" -> "si por favor"."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())
