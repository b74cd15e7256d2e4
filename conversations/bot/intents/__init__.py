"""Intent recogniser: free text from a WhatsApp customer -> one of INTENTS.

Two backends, chosen by ``INTENT_BACKEND``: ``local`` (``local.py``: normalisation, the
phrase lexicon, concept rules; no network) and ``llm`` (``llm.py``: an OpenAI-compatible
endpoint), which falls back to ``local`` on any failure. Nothing here logs the user's text.
"""

from __future__ import annotations

import logging

from django.conf import settings

from conversations.bot.intents.base import INTENTS, IntentResult
from conversations.bot.intents.concepts import is_fraud as _is_fraud
from conversations.bot.intents.lexicon import load_lexicon_rows
from conversations.bot.intents.llm import LLMError, recognise_llm
from conversations.bot.intents.local import recognise_local
from conversations.bot.intents.normalisation import normalise

__all__ = [
    "INTENTS",
    "IntentResult",
    "is_fraud",
    "load_lexicon_rows",
    "normalise",
    "recognise",
    "recognise_local",
    "slow_backend_configured",
]

logger = logging.getLogger(__name__)


def slow_backend_configured() -> bool:
    """The LLM backend is chosen and has a key: recognising may wait on the network."""
    backend = getattr(settings, "INTENT_BACKEND", "local") or "local"
    return backend == "llm" and bool(getattr(settings, "OPENAI_API_KEY", ""))


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
    for in ProAlto's name): an urgent ticket, not an ordinary complaint."""
    return _is_fraud(normalise(text))
