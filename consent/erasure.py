"""Supresión (Ley 1581 de 2012 art. 8 e): erasing a person's conversational data on request.

When compliance accepts a *suprimir* request, ``contact_personal_data_erase`` removes what
the person told us and sent us through the bot, keeping rows only as content-free counts so
the service metrics stay true:

- inbound messages: text, tapped titles, raw payload and file names replaced/emptied
  (the row stays as "[suprimido]" with its type and time);
- outbound messages: previews and bodies emptied the same way; anything still queued is
  cancelled (it would carry the old content);
- the conversation session: collected data, flow and validated identity forgotten;
- documents: files deleted from storage (once the transaction commits) and their rows
  deleted, the paz y salvo certificates' PDFs included;
- tickets: transcript, summary and collected details emptied; survey comments emptied;
- the contact's WhatsApp profile name.

What the law makes us keep, and why (stated to the holder in the answer,
templates/bot/erasure/answer.txt):

- the consent records (``consent.ConsentRecord``): the proof of the authorisation must be
  kept (Ley 1581 art. 9 and Decreto 1377 de 2013 art. 8 — now part of Decreto 1074 de 2015),
  and with it the WhatsApp number it was given from;
- the credit records in ``credits.*`` (customer, credits, applications): ProAlto's core-system
  data about loan obligations, not conversational data; commercial law requires keeping
  them (Código de Comercio art. 60: ten years) and Ley 1266 de 2008 governs them;
- the data-rights request itself, as the record of how the holder's request was handled;
- a paz y salvo's verification record (``documents.PazYSalvo``: code, issue date, the
  credits it certifies), so whoever holds the certificate can still verify it at /verificar/;
  it is credit data, and the holder gets the same certificate again on request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from consent.signals import personal_data_erase
from conversations.messaging.erasure import contact_messages_erase
from conversations.messaging.lock import session_lock
from documents.services import contact_documents_erase
from escalations.audit import AuditAction
from escalations.selectors import contact_ticket_ids
from escalations.services import audit_record, contact_tickets_anonymise

logger = logging.getLogger(__name__)

ERASED = "[suprimido]"


@dataclass
class ErasureResult:
    inbound: int = 0
    outbound: int = 0
    documents: int = 0
    files: int = 0
    tickets: int = 0
    surveys: int = 0


def contact_personal_data_erase(*, contact, by) -> ErasureResult:
    """Erase or anonymise everything conversational about this WhatsApp contact.

    Each app erases its own part through its services; the bot's own records (survey
    comments) answer the ``personal_data_erase`` signal, sent inside the same transaction.
    """
    result = ErasureResult()
    with transaction.atomic():
        # The session row is the per-customer lock: no worker handles this chat meanwhile.
        session_lock(contact.pk)
        tickets = contact_ticket_ids(contact=contact)
        result.documents, files_to_delete = contact_documents_erase(contact=contact, ticket_ids=tickets)
        result.inbound, result.outbound = contact_messages_erase(contact=contact, placeholder=ERASED)
        result.tickets = contact_tickets_anonymise(contact=contact, placeholder=ERASED)
        for _, erased in personal_data_erase.send(sender=None, contact=contact):
            result.surveys += erased or 0

        if by is not None:
            erased = ["messages", "documents", "tickets"]
            audit_record(user=by, action=AuditAction.ERASE_PERSONAL_DATA, obj=contact, fields=erased)

        # Files go only once the rows are gone for good; a rollback keeps both.
        def _delete_files():
            for storage, name in files_to_delete:
                try:
                    storage.delete(name)
                    result.files += 1
                except Exception:
                    logger.exception("could not delete an erased document's file for %s", contact.masked)

        transaction.on_commit(_delete_files)
    logger.info("personal data of %s erased: %s", contact.masked, result)
    return result
