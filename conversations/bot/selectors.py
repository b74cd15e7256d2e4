"""Reads of the bot's own records."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from conversations.bot.models import UnrecognisedMessage

CORPUS_HEADER = "intent\tutterance"
# A tab or a line break in what the customer wrote would break the corpus's one-line-per-row format.
_BREAKS = re.compile(r"[\t\r\n\v\f\u0085\u2028\u2029]+")


@dataclass(frozen=True)
class CorpusExport:
    content: str  # the TSV, header first, one "<intent>\t<utterance>" line per distinct labelled message
    lines: int  # utterance lines (without the header)
    skipped: int  # selected messages with no intent yet


def unrecognised_corpus_tsv(messages: QuerySet[UnrecognisedMessage]) -> CorpusExport:
    """The labelled messages among ``messages`` as lines for the intent model's corpus
    (conversations/bot/intents/corpus/*.tsv), in the order they were received; the same text
    with the same intent once. The text is stored masked, so the lines are too."""
    rows: dict[tuple[str, str], None] = {}
    skipped = 0
    for intent, text in messages.order_by("created_at", "pk").values_list("intent", "text"):
        if not intent:
            skipped += 1
            continue
        utterance = _BREAKS.sub(" ", text).strip()
        if utterance:
            rows[(intent, utterance)] = None
    body = "".join(f"{intent}\t{utterance}\n" for intent, utterance in rows)
    return CorpusExport(content=f"{CORPUS_HEADER}\n{body}", lines=len(rows), skipped=skipped)
