"""The recogniser's trained model (conversations/bot/intents/model.py) and when its reading
replaces the rules' (local.recognise_local)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conversations.bot import intents
from conversations.bot.intents import local, normalise
from conversations.bot.intents.base import INTENTS, IntentResult
from conversations.bot.intents.model import (
    CORPUS_DIR,
    FRAUD,
    Opinion,
    Scorer,
    corpus_rows,
    model_text,
    scorer,
    second_opinion,
    trained_pipeline,
)

FROZEN_DIR = Path(__file__).parent


def test_the_fast_scorer_gives_scikit_learns_probabilities():
    rows = corpus_rows()
    pipeline = trained_pipeline(rows)
    fast = Scorer(pipeline)
    texts = [model_text(normalise(t)) for _, t in rows[::7]] + ["", "zzzz qqqq", "hola"]

    expected = pipeline.predict_proba(texts)
    got = np.array([fast.probabilities(t) for t in texts])

    assert list(fast.classes) == list(pipeline.classes_)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_training_is_deterministic():
    first, second = Scorer(trained_pipeline()), scorer()
    np.testing.assert_array_equal(first.weights, second.weights)
    np.testing.assert_array_equal(first.intercept, second.intercept)


def test_the_corpus_is_the_lexicon_and_the_tuning_sets_with_fraud_as_a_class():
    rows = corpus_rows()
    labels = {label for label, _ in rows}
    assert labels == set(INTENTS) | {FRAUD}
    stories = {line.strip() for p in CORPUS_DIR.glob("*_fraud.txt") for line in p.read_text("utf-8").splitlines()}
    assert {t for label, t in rows if label == FRAUD} == stories - {""}
    assert len(rows) > 3500


def test_the_frozen_blind_sets_are_not_trained_on():
    frozen = {p.name for p in FROZEN_DIR.glob("intents_blind*")}
    assert len(frozen) >= 6 and not frozen & {p.name for p in CORPUS_DIR.iterdir()}
    # Independent writers still write some of the same short messages ("saldo porfa"): those
    # equal a tuning line after normalisation and are counted apart in the README.


def test_the_opinion_counts_fraud_as_a_complaint():
    opinion = second_opinion(normalise("alguien saco un prestamo con mi cedula y yo nunca lo pedi"))
    assert opinion.intent == "queja" and opinion.fraud > 0.5 and opinion.probability >= opinion.fraud


# --- when the model's reading replaces the rules' ------------------------------------------------


@pytest.fixture
def rules_say(monkeypatch):
    def set_rules(intent: str, confidence: float, ruled: bool = False):
        monkeypatch.setattr(local, "_read", lambda text: (IntentResult(intent, confidence, "local"), ruled))

    return set_rules


@pytest.fixture
def model_says(monkeypatch):
    asked = []

    def set_model(intent: str, probability: float, fraud: float = 0.0):
        def opinion(normalised):
            asked.append(normalised)
            return Opinion(intent, probability, fraud)

        monkeypatch.setattr(local, "second_opinion", opinion)
        monkeypatch.setattr(intents, "second_opinion", opinion)
        return asked

    return set_model


TEXT = "una frase de varias palabras cualquiera"


def test_a_loose_rules_reading_gives_way_to_a_sure_model(rules_say, model_says):
    rules_say("nuevo_credito", 0.68)
    model_says("renovacion", 0.75)
    assert intents.recognise_local(TEXT) == IntentResult("renovacion", 0.75, "local")


def test_nothing_understood_gives_way_to_a_sure_model(rules_say, model_says):
    rules_say("desconocido", 0.5)
    model_says("queja", 0.9)
    assert intents.recognise_local(TEXT).intent == "queja"


def test_an_unsure_model_leaves_the_rules_reading(rules_say, model_says):
    rules_say("nuevo_credito", 0.68)
    model_says("renovacion", 0.59)
    assert intents.recognise_local(TEXT).intent == "nuevo_credito"


@pytest.mark.parametrize(
    "intent, confidence, ruled",
    [
        ("saldo", 0.91, False),  # a lexicon phrase explains the whole message
        ("desconocido", 0.9, True),  # a concept rule decided (another entity's business)
        ("desconocido", 0.5, True),  # a rule set the lexicon's reading aside
    ],
)
def test_sure_or_ruled_readings_are_never_second_guessed(rules_say, model_says, intent, confidence, ruled):
    rules_say(intent, confidence, ruled)
    asked = model_says("menu", 0.99)
    assert intents.recognise_local(TEXT).intent == intent
    assert asked == []


@pytest.mark.parametrize("typed", ["no señor", "sldo ya", "ok"])
def test_one_or_two_words_are_left_to_the_rules(rules_say, model_says, typed):
    rules_say("desconocido", 0.5)
    asked = model_says("queja", 0.99)
    assert intents.recognise_local(typed).intent == "desconocido" and asked == []


def test_a_complaint_the_rules_read_as_fraud_stays_one(rules_say, model_says):
    rules_say("queja", 0.8)
    asked = model_says("asesor", 0.99)
    assert intents.recognise_local("me robaron la cedula y sacaron una libranza a mi nombre").intent == "queja"
    assert asked == []


def test_the_model_adds_fraud_to_a_complaint_only(rules_say, model_says):
    rules_say("queja", 0.8)
    model_says("queja", 0.9, fraud=0.45)
    assert intents.is_fraud(TEXT) is True
    rules_say("saldo", 0.95)
    assert intents.is_fraud(TEXT) is False  # not a complaint: the fraud reading is not asked for
    rules_say("queja", 0.8)
    model_says("queja", 0.9, fraud=0.39)
    assert intents.is_fraud(TEXT) is False


def test_the_model_follows_the_rules_on_a_refused_service():
    # The rules drop a service the customer refuses; the model reads the same words.
    assert model_text(normalise("no quiero retanqueo, solo el saldo")) == model_text(normalise("solo el saldo"))
