"""The evaluation sets are honest: no tuning line is a lexicon phrase in other words, and the
frozen blind set is never tuned on (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations.bot.intents import INTENTS, is_fraud, load_lexicon_rows, normalise
from conversations.bot.intents.lexicon import _NO_FUZZ
from conversations.bot.intents.model import CORPUS_DIR
from conversations.bot.intents.normalisation import content_tokens
from conversations.management.commands.evaluate_intents import read_labelled_tsv

HERE = Path(__file__).parent
# The tuning sets are the classifier's training corpus (conversations/bot/intents/corpus/);
# the frozen blind sets stay here, out of it.


def _set_path(name: str) -> Path:
    return CORPUS_DIR / name if (CORPUS_DIR / name).is_file() else HERE / name


TUNING_SETS = (
    "intents_eval.tsv",
    "intents_holdout.tsv",
    "intents_holdout2.tsv",
    "intents_dev_2026-11-30.tsv",
    "intents_dev2_2026-11-30.tsv",
    "intents_blind2_2026-11-30.tsv",
    "intents_dev3_2026-11-30.tsv",
    "intents_blind3_2026-11-30.tsv",
    "intents_blind4_2026-11-30.tsv",
    "intents_dev4_2026-11-30.tsv",
    "intents_blind5_2026-11-30.tsv",
    # Written for the model (round 8): app updates are not ours, a code that never came is a
    # person to ask. Never a blind set.
    "intents_curated_2026-11-30.tsv",
    # Written for the model's training without reading the recogniser or the sets (issue 15).
    "intents_dev5_2026-11-30.tsv",
    "intents_dev6_2026-11-30.tsv",
)
# Blind set 2 was written without reading the lexicon and scored once (round 2), so it is a
# tuning set now; but its frozen lines are not reworded, and 35 of them share their content
# words with a lexicon phrase ("cuanto debo", "operador", "habeas data"...). It is left out
# of the content-word rule, and, as for blind set 1, the lexicon may not grow towards it.
# The 36th is no lexicon growth: the typo "retanqeo" is normalised to the lexicon's
# "retanqueo" since "q" before e/i is read as "qu" (a chat spelling, like "qiero").
# Blind set 3 likewise since it was scored once after round 4 (issue 15, round 5 tunes on it):
# its 27 lines that equal a lexicon phrase when it was frozen stay as written. Blind set 4 too
# since round 5 (scored before and after it; round 6 tunes on it): 26 lines.
# Dev set 4 was written for round 6 without reading the recogniser or the lexicon, and is
# committed as written: 21 of its lines ("habeas data", "volver al inicio", "chaito"...) equal a
# lexicon phrase, and the lexicon may not grow towards it.
# Round 6 added no lexicon phrase, but normalisation now reads a misspelt rule word as the word
# ("cuamto" -> "cuanto", "renobar"/"renovasion" -> "renovar"/"renovacion", "credto"/"crdito" ->
# "credito", "libransa" -> "libranza", "aprovaron" -> "aprobaron"), so these typo lines, kept as
# written, now equal a phrase: eval +1 ("renobar credito"), dev 3, dev 2 +1, blind 3 +3, blind 4
# +1, dev 4 +1 ("renovasion del credito"), and blind set 1's frozen count +1 ("renobar el credito").
# Blind set 5 too since round 6 (scored before and after it; round 7 tunes on it): its 38 lines
# that equal a lexicon phrase (37 when it was frozen, +1 by round 6's normalisation) stay as written.
CONTENT_WORD_EXEMPT = {
    "intents_eval.tsv": 1,
    "intents_dev_2026-11-30.tsv": 3,
    "intents_dev2_2026-11-30.tsv": 1,
    "intents_blind2_2026-11-30.tsv": 36,
    "intents_blind3_2026-11-30.tsv": 30,
    "intents_blind4_2026-11-30.tsv": 27,
    "intents_dev4_2026-11-30.tsv": 22,
    "intents_blind5_2026-11-30.tsv": 38,
    # Dev set 5 (645 lines, written blind for the model's training): its 98 lines that equal a
    # lexicon phrase (short requests: "saldo", "hablar con un asesor"...) stay as written.
    "intents_dev5_2026-11-30.tsv": 98,
    # Dev set 6 likewise (725 lines, 166 of them desconocido): 84.
    "intents_dev6_2026-11-30.tsv": 84,
}
BLIND_SET = HERE / "intents_blind_2026-11-30.tsv"
# The blind sets never tuned on, with the number of their lines whose content words equal a
# lexicon phrase's when each was frozen (written without reading the lexicon): the lexicon
# may not grow towards them. (Sets 2 and 3 were scored once each and are tuning sets since; set
# 4, scored before and after round 5 at 98.3 % both times, is a tuning set since round 6; set 5,
# scored before and after round 6, since round 7.)
# Set 1's 64 became 65 in round 6 by normalisation, not by a phrase (see CONTENT_WORD_EXEMPT).
# Set 5 (frozen before round 6 at 37, 38 after its normalisation) is a tuning set since round 7.
# Set 6 was frozen before round 7 and scored once before it: 268/283 (94.7 %), fraud 21/22.
# Set 6 chose round 8's model thresholds: a development set since, still out of the training.
# Set 7 was frozen before round 8 and scored once before it: 304/319 (95.3 %), fraud 25/28.
FROZEN_BLIND_SETS = {
    "intents_blind_2026-11-30": 65,
    "intents_blind6_2026-11-30": 34,
    "intents_blind7_2026-11-30": 38,
    # Set 8 was frozen before dev set 5 joined the training, scored once before: 310/318 (97.5 %).
    "intents_blind8_2026-11-30": 42,
    # Set 9 was frozen before dev set 6 joined the training, scored once before: 322/329 (97.9 %).
    "intents_blind9_2026-11-30": 31,
    # Set 10 was written after the last change of this round and scored once: 312/314 (99.4 %).
    "intents_blind10_2026-11-30": 23,
    # Set 11 likewise, written after set 10, nothing changed since: 306/308 (99.4 %).
    "intents_blind11_2026-11-30": 38,
}


def content_words(text: str) -> frozenset[str]:
    """What the recogniser sees of a text: normalised, stop words dropped."""
    return frozenset(content_tokens(normalise(text)))


def lexicon_keys() -> set[frozenset[str]]:
    return {content_words(phrase) for _, phrase in load_lexicon_rows()}


@pytest.mark.parametrize("name", TUNING_SETS)
def test_no_tuning_line_has_the_content_words_of_a_lexicon_phrase(name):
    """Same content words in either direction and at any length (a phrase padded with stop
    words, "hola sumerce" for "hola", is the same phrase to the recogniser)."""
    keys = lexicon_keys()
    copies = [u for _, u in read_labelled_tsv(CORPUS_DIR / name) if content_words(u) in keys]
    if name in CONTENT_WORD_EXEMPT:
        assert len(copies) <= CONTENT_WORD_EXEMPT[name]
    else:
        assert copies == []


def test_the_content_word_guard_catches_a_padded_phrase():
    _, phrase = load_lexicon_rows()[0]
    assert content_words(f"sumerce, {phrase} por favor") in lexicon_keys()


# _NO_FUZZ when dev set 2 and blind set 2 joined the gate: these words were chosen before
# either set existed, so those two sets may use them ("mi papa", "vino mas alto").
NO_FUZZ_BEFORE_ROUND_4 = frozenset(
    """
    estaban estamos estuve dijeron comi cosa cosas casa caso
    paso pasa puso tenia habia iba iban vino vine fue escribio
    banco cuenta nombre numero esposa papa senal
    """.split()
)
OLDER_SETS = (*TUNING_SETS[:4], BLIND_SET.name)
# Written after those words were chosen: blind set 3 and dev set 3 may use them too ("escribio").
NEWER_SETS = set(TUNING_SETS) - set(OLDER_SETS)


def test_no_fuzz_words_are_not_taken_from_the_evaluation_sets():
    lexicon_words = {w for _, p in load_lexicon_rows() for w in normalise(p).split()}

    def words(names):
        return {w for name in names for _, u in read_labelled_tsv(_set_path(name)) for w in normalise(u).split()}

    test_words = words(OLDER_SETS) | (words(NEWER_SETS) - NO_FUZZ_BEFORE_ROUND_4)
    assert sorted(w for w in _NO_FUZZ if w in test_words and w not in lexicon_words) == []


@pytest.mark.parametrize("name, overlap_when_frozen", FROZEN_BLIND_SETS.items())
def test_blind_set_shape_and_freeze(name, overlap_when_frozen):
    rows = read_labelled_tsv(HERE / f"{name}.tsv")
    assert len(rows) >= 150
    counts = {intent: sum(1 for i, _ in rows if i == intent) for intent in INTENTS}
    assert min(counts.values()) >= 10, counts
    keys = lexicon_keys()
    assert sum(1 for _, u in rows if content_words(u) in keys) <= overlap_when_frozen


@pytest.mark.parametrize("name", FROZEN_BLIND_SETS)
def test_blind_fraud_lines_are_complaints_of_the_blind_set(name):
    fraud = [line for line in (HERE / f"{name}_fraud.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    complaints = {u for intent, u in read_labelled_tsv(HERE / f"{name}.tsv") if intent == "queja"}
    assert len(fraud) >= 10 and set(fraud) <= complaints


@pytest.mark.parametrize(
    "text, fraud",
    [
        ("me aparece un prestamo que yo no pedi", True),
        ("abrieron una libranza con mi cedula", True),
        ("un senor que decia ser de proalto me pidio consignar para el estudio", True),
        ("usaron mi cedula para sacar plata", True),
        ("me robaron la cedula y sacaron una libranza", True),
        ("falsificaron mi firma", True),
        ("un senor que dice ser de proalto me pidio la clave de la app", True),
        ("el supuesto gerente me cobro plata para agilizar", True),
        ("alguien se hizo pasar por mi y pidio un credito", True),
        ("le transferi 300 mil a un senor que dijo ser de proalto", True),
        ("en el pagare hay una firma que yo no puse", True),
        ("me dijeron que consignara el estudio por nequi para que me aprobaran", True),
        ("me llamaron y me dijeron que en 8 dias me consignaban", False),
        ("pidieron un prestamo con mis papeles", True),
        ("me llego un descuento y nunca he tenido prestamo con ustedes", True),
        ("sacaron un credito a nombre de mi papa", True),
        ("alguien esta utilizando mi nombre", True),
        ("me pidieron consignar una garantia para el credito", True),
        ("pague 200 mil para que me desembolsaran", True),
        ("la deuda que aparece no la adquiri yo", True),
        ("me descontaron dos veces la cuota", False),
        ("me subieron la cuota sin avisar", False),
        ("me llamaron a cobrar la cuota atrasada, tengo que pagar hoy", False),
        ("pague la cuota por adelantado", False),
        ("me pidieron un codigo para validar y no me ha llegado", False),
        ("perdi la cedula, puedo pedir un prestamo igual", False),
        ("me cobraron el seguro dos veces", False),
        ("el servicio es muy lento", False),
    ],
)
def test_is_fraud(text, fraud):
    assert is_fraud(text) is fraud
