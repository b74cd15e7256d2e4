"""Steps shared by the flows that take requests (estado de solicitud, renovación, nuevo
crédito): reading a yes/no answer typed or tapped, the answer to "¿te comunico con un
asesor?", and receiving documents in the chat.

Not a flow itself (nothing is registered here). The copy stays in each flow's templates.
"""

from __future__ import annotations

from django.conf import settings

from proalto.text import simplify

YES_WORDS = {"si", "s", "claro", "dale", "de una", "ok", "okay", "bueno", "por supuesto", "acepto", "correcto", "1"}
NO_WORDS = {"no", "n", "nop", "ahora no", "todavia no", "no quiero", "2"}
DONE_WORDS = {
    "listo",
    "ya",
    "ya esta",
    "ya estan",
    "termine",
    "ya termine",
    "es todo",
    "eso es todo",
    "ya los envie",
    "ya envie",
    "ya los mande",
    "ya te los envie",
    "fin",
    "listo gracias",
    "ya listo",
}
LATER_WORDS = {
    "despues",
    "mas tarde",
    "luego",
    "ahora no",
    "no los tengo",
    "no tengo",
    "los envio despues",
    "los envio luego",
    "en otro momento",
    "enviar mas tarde",
}

DOCS_DONE = "docs_done"
DOCS_LATER = "docs_later"


def words(incoming) -> str:
    """The typed text, lower case, without accents, punctuation or extra spaces."""
    return " ".join(simplify(incoming.text or "").split()) if incoming.type == "text" else ""


def yes_no(incoming, *, yes: tuple[str, ...] = (), no: tuple[str, ...] = ()) -> bool | None:
    """True/False for a tapped button id or a typed "sí"/"no" (or the button's title), else None."""
    if incoming.choice:
        return True if incoming.choice in yes else False if incoming.choice in no else None
    text = words(incoming)
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    first, _, rest = text.partition(" ")
    if first == "si":  # "si señor", "si, avísame"
        return True
    if first == "no" and rest not in ("se", "entiendo", "se que", "estoy seguro"):  # "no, gracias"
        return False
    return None


def advisor_offer_answer(turn, *, no: str, again: str, declined: str | None = None) -> None:
    """The answer to "¿te comunico con un asesor?": yes hands over, no ends the flow.

    Tapping the offer's "asesor" button is a global command the engine handles; this reads
    a typed "sí"/"no" or the `no` button. `again` re-asks; `declined` is said on "no".
    """
    answer = yes_no(turn.incoming, no=(no,))
    if answer is None:
        turn.say(again)
        turn.not_understood()
    elif answer:
        turn.goto("start", flow="asesor")
    else:
        if declined:
            turn.say(declined)
        turn.end()


def max_upload_mb() -> str:
    """The upload limit as people read it ("10", "0,5")."""
    megabytes = settings.DOCUMENT_MAX_BYTES / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:.0f}"
    return f"{max(megabytes, 0.1):.1f}".replace(".", ",")


def document_receive(turn, *, copy: str, minimum: int, allow_later: bool = False) -> str:
    """Handle one message at a step that expects documents (listed in `media_steps`).

    Stores accepted documents' ids in ``turn.data["documents"]`` and says what happened
    using ``<copy>/document_received.txt``, ``documents_missing.txt`` and
    ``documents_reminder.txt`` (context: count, missing, allow_later). A refused file is
    explained with ``documents/rejected_<reason>.txt``.

    Returns "done" when the user says they finished and at least `minimum` were received,
    "later" when they chose to send them later (only with `allow_later`), "" to stay.
    """
    incoming = turn.incoming
    documents = turn.data.setdefault("documents", [])
    media = incoming.media
    if media is not None:
        if media.rejected or media.document_id is None:
            turn.say(f"documents/rejected_{media.rejected or 'download'}.txt", max_mb=max_upload_mb())
            return ""
        if media.document_id not in documents:
            documents.append(media.document_id)
        turn.say(f"{copy}/document_received.txt", **_counts(documents, minimum, allow_later))
        return ""
    text = words(incoming)
    if incoming.choice == DOCS_DONE or text in DONE_WORDS:
        if len(documents) >= minimum:
            return "done"
        turn.say(f"{copy}/documents_missing.txt", **_counts(documents, minimum, allow_later))
        return ""
    if allow_later and (incoming.choice == DOCS_LATER or text in LATER_WORDS):
        return "later"
    turn.say(f"{copy}/documents_reminder.txt", **_counts(documents, minimum, allow_later))
    turn.not_understood()
    return ""


def _counts(documents: list, minimum: int, allow_later: bool) -> dict:
    return {"count": len(documents), "missing": max(0, minimum - len(documents)), "allow_later": allow_later}
