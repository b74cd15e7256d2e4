"""Writes of the bot's own records."""

from __future__ import annotations

from conversations.bot.models import UnrecognisedMessage
from proalto.masking import mask_free_text


def unrecognised_record(*, text: str, flow: str, step: str) -> UnrecognisedMessage:
    """Keep a message the bot did not understand, masked, for the lexicon's review."""
    return UnrecognisedMessage.objects.create(text=mask_free_text(text)[:1000], flow=flow, step=step)
