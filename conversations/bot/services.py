"""Writes of the bot's own records."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from conversations.bot.models import UnrecognisedMessage
from proalto.masking import mask_free_text


def unrecognised_record(*, text: str, flow: str, step: str) -> UnrecognisedMessage:
    """Keep a message the bot did not understand, masked, for the lexicon's review."""
    return UnrecognisedMessage.objects.create(text=mask_free_text(text)[:1000], flow=flow, step=step)


@transaction.atomic
def unrecognised_message_label(*, message: UnrecognisedMessage, intent: str, user) -> UnrecognisedMessage:
    """Say what a not-understood message meant (one of UnrecognisedMessage.Intent), or clear it
    with "": who and when are kept with the label, and cleared with it. Saving the same label
    again keeps who gave it first."""
    if intent and intent not in UnrecognisedMessage.Intent.values:
        raise ValueError(f"Intención desconocida: {intent!r}.")
    stored = UnrecognisedMessage.objects.select_for_update().get(pk=message.pk)
    if stored.intent != intent:
        stored.intent = intent
        stored.labelled_by = user if intent else None
        stored.labelled_at = timezone.now() if intent else None
        stored.save(update_fields=["intent", "labelled_by", "labelled_at"])
    message.intent, message.labelled_by, message.labelled_at = stored.intent, stored.labelled_by, stored.labelled_at
    return stored
