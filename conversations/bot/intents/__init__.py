"""Intent recogniser: free text from a WhatsApp customer -> one of INTENTS.

Two backends, chosen by ``INTENT_BACKEND``: ``local`` (``local.py``: normalisation, the
phrase lexicon, concept rules, and where they are not sure a model trained in the process on
the labelled corpus, ``model.py``; no network) and ``llm`` (``llm.py``: an OpenAI-compatible
endpoint), which falls back to ``local`` on any failure. Nothing here logs the user's text.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from conversations.bot.intents.base import INTENTS, IntentResult
from conversations.bot.intents.concepts import is_fraud as _is_fraud
from conversations.bot.intents.lexicon import lexicon, load_lexicon_rows
from conversations.bot.intents.llm import LLMError, recognise_llm
from conversations.bot.intents.local import recognise_local, recognise_rules
from conversations.bot.intents.model import scorer, second_opinion
from conversations.bot.intents.normalisation import normalise

__all__ = [
    "INTENTS",
    "IntentResult",
    "is_fraud",
    "load_lexicon_rows",
    "normalise",
    "recognise",
    "recognise_local",
    "recognise_rules",
    "slow_backend_configured",
    "warm",
]

logger = logging.getLogger(__name__)

# A complaint the rules do not read as fraud is fraud when the model gives it this probability
# of being a fraud story. Lower than its intent threshold on purpose: a missed fraud costs a
# customer's money; an ordinary complaint marked urgent costs an advisor a few minutes. Chosen
# by leaving each tuning set out of the training (README).
_MODEL_FRAUD = 0.4


def slow_backend_configured() -> bool:
    """The LLM backend is chosen and has a key: recognising may wait on the network."""
    backend = getattr(settings, "INTENT_BACKEND", "local") or "local"
    return backend == "llm" and bool(getattr(settings, "OPENAI_API_KEY", ""))


def warm() -> None:
    """Load the lexicon and train the model now (a worker before it forks its pool), not on a
    customer's first message."""
    started = time.monotonic()
    lexicon()
    model = scorer()
    logger.info(
        "intent recogniser ready: model of %d features trained in %.1f s",
        len(model.weights),
        time.monotonic() - started,
    )


def recognise(text: str) -> IntentResult:
    """Recognise the intent of a customer's free-text message with the configured backend."""
    if slow_backend_configured():
        try:
            return recognise_llm(text)
        except LLMError as exc:
            # The reason only: never the user's text.
            logger.warning("LLM intent backend failed (%s); using the local recogniser", exc)
    return recognise_local(text)


def is_fraud(text: str) -> bool:
    """Whether a complaint is fraud (identity theft, a loan never asked for, money asked
    for in ProAlto's name): an urgent ticket, not an ordinary complaint. The rules, or the
    model where they do not see it."""
    norm = normalise(text)
    if _is_fraud(norm):
        return True
    # The model's fraud reading counts for a message the local recogniser reads as a complaint.
    return recognise_local(text).intent == "queja" and second_opinion(norm).fraud >= _MODEL_FRAUD
