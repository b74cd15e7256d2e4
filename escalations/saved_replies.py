"""Saved replies ("Respuestas rápidas"): the placeholders they may hold, checked when a
supervisor saves one and filled per case when an advisor inserts it with /."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from escalations import selectors

# {nombre} and friends; a literal brace is written twice ({{ or }}).
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = {
    "nombre": "el primer nombre del cliente (o su nombre en WhatsApp)",
    "asesor": "el primer nombre del asesor que responde",
    "caso": "el número del caso, p. ej. #42",
}


def check_saved_reply_text(text: str) -> None:
    """ValidationError naming any placeholder that is not one of PLACEHOLDERS."""
    plain = text.replace("{{", "").replace("}}", "")
    unknown = sorted({name for name in PLACEHOLDER.findall(plain) if name not in PLACEHOLDERS})
    if unknown:
        allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise ValidationError(
            f"Marcadores desconocidos: {', '.join('{' + name + '}' for name in unknown)}. Se pueden usar: {allowed}."
        )
    if "{" in PLACEHOLDER.sub("", plain) or "}" in PLACEHOLDER.sub("", plain):
        raise ValidationError("Hay una llave sin cerrar; para escribir una llave, escríbela dos veces ({{ o }}).")


def _first_name(name: str) -> str:
    return (name or "").strip().split(" ")[0]


def saved_reply_fill(text: str, *, values: dict[str, str]) -> str:
    filled = PLACEHOLDER.sub(
        lambda m: values.get(m.group(1), m.group(0)), text.replace("{{", "\0").replace("}}", "\1")
    )
    return filled.replace("\0", "{").replace("\1", "}")


def saved_replies_for(*, ticket, user, customer_name: str = "") -> list[dict]:
    """The active saved replies, placeholders filled for this case and advisor."""
    values = {
        "nombre": _first_name(customer_name) or _first_name(ticket.contact.profile_name),
        "asesor": _first_name(user.first_name) or user.get_username(),
        "caso": f"#{ticket.pk}",
    }
    return [
        {"shortcut": reply.shortcut, "title": reply.title, "text": saved_reply_fill(reply.text, values=values)}
        for reply in selectors.saved_replies_active()
    ]
