"""Turn a copy template from ``templates/bot/`` into a Cloud API message body.

Every sentence a customer reads lives in a template. A template renders the message
text; below an optional ``---`` line it may declare the interactive parts:

    header: Texto de encabezado
    footer: Texto al pie
    button <id>: <título>                 (reply buttons, at most 3)
    list: <texto del botón de la lista>   (a list message instead)
    section: <título de sección>
    row <id>: <título> | <descripción>

Ids are what the flows match on; titles and descriptions are copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from conversations.messaging import whatsapp

_OPTION = re.compile(r"^(header|footer|list|section|button|row)(?:\s+([^:]+?))?\s*:\s*(.*)$")


class TemplateSyntaxError(ValueError):
    pass


@dataclass
class Reply:
    """Something to say, by its copy template, and the document it carries, if any."""

    template: str | None = None
    context: dict = field(default_factory=dict)
    document_id: int | None = None


@dataclass
class Rendered:
    body: dict
    preview: str
    # Ids a user may tap in this message, for matching typed answers to options.
    options: list[tuple[str, str]] = field(default_factory=list)


def render(template: str, context: dict | None = None) -> Rendered:
    text = render_to_string(f"bot/{template}", context or {})
    return parse(text, source=template)


def parse(text: str, *, source: str = "<string>") -> Rendered:
    head, sep, tail = text.rpartition("\n---\n") if "\n---\n" in text else (text, "", "")
    body_text = _tidy(head)
    if not sep:
        return Rendered(whatsapp.text_body(body_text), body_text)

    header = footer = list_button = None
    buttons: list[tuple[str, str]] = []
    sections: list[dict] = []
    for line in tail.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _OPTION.match(line)
        if not match:
            raise TemplateSyntaxError(f"{source}: cannot read option line {line!r}")
        key, ident, value = match.group(1), (match.group(2) or "").strip(), match.group(3).strip()
        if key == "header":
            header = value
        elif key == "footer":
            footer = value
        elif key == "list":
            list_button = value
        elif key == "section":
            sections.append({"title": value, "rows": []})
        elif key == "button":
            buttons.append((ident, value))
        elif key == "row":
            title, _, description = value.partition("|")
            if not sections:
                sections.append({"title": None, "rows": []})
            sections[-1]["rows"].append({"id": ident, "title": title.strip(), "description": description.strip()})
    try:
        if list_button:
            body = whatsapp.list_body(body_text, button=list_button, sections=sections, header=header, footer=footer)
            options = [(row["id"], row["title"]) for section in sections for row in section["rows"]]
        elif buttons:
            body = whatsapp.buttons_body(body_text, buttons, header=header, footer=footer)
            options = buttons
        else:
            raise TemplateSyntaxError(f"{source}: options block without buttons or list")
    except whatsapp.MessageLimitError as exc:
        raise TemplateSyntaxError(f"{source}: {exc}") from exc
    preview = body_text + "\n" + "\n".join(f"[{title}]" for _, title in options)
    return Rendered(body, preview, options)


def _tidy(text: str) -> str:
    # Templates are indented for readability; WhatsApp shows what we send verbatim.
    lines = [line.strip() for line in text.strip().splitlines()]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out
