"""The Spanish text a client shows (ManyChat's one variable): the bot's own copy templates,
rendered with the flows' own context builders, as plain text (no buttons)."""

from __future__ import annotations

from conversations.messaging.replies import render


def text_of(template: str, **context) -> str:
    """The message a template says, without its reply buttons or list rows."""
    body = render(template, context).body
    if body["type"] == "text":
        return body["text"]["body"]
    return body["interactive"]["body"]["text"]
