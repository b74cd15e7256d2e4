"""Storing documents: checked by content, hashed, saved privately under a random key."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

# DocumentRejected is raised by the content checks and caught by callers as documents.services'.
from documents.content import ALLOWED_TYPES, file_check
from documents.content import DocumentRejected as DocumentRejected
from documents.models import Document


def check_upload(*, data: bytes) -> str:
    """The file's real type if it is an accepted, readable and inert one; DocumentRejected otherwise.
    Store what check_upload_clean returns: for images that is the re-encoded file."""
    return file_check(data=data).mime_type


def check_upload_clean(*, data: bytes) -> tuple[str, bytes]:
    """The file's real type and the bytes to store (a PDF as sent, an image re-encoded without
    metadata or anything appended); DocumentRejected otherwise."""
    checked = file_check(data=data)
    return checked.mime_type, checked.data


def safe_name(filename: str, mime_type: str) -> str:
    stem = "".join(ch for ch in (filename or "").rsplit(".", 1)[0] if ch.isalnum() or ch in " -_")[:80].strip()
    return f"{stem or 'documento'}.{ALLOWED_TYPES.get(mime_type, 'bin')}"


def document_store_upload(
    *, data: bytes, filename: str, contact=None, customer=None, inbound_message=None, ticket=None
) -> Document:
    """Store a file a customer sent, after checking what it really is."""
    mime_type, data = check_upload_clean(data=data)
    return _store(
        data=data,
        kind=Document.Kind.UPLOAD,
        mime_type=mime_type,
        original_name=safe_name(filename, mime_type),
        contact=contact,
        customer=customer,
        inbound_message=inbound_message,
        ticket=ticket,
    )


def document_store_generated(
    *, data: bytes, kind: str, mime_type: str, filename: str, contact=None, customer=None, ticket=None
) -> Document:
    """Store a file ProAlto issues (a paz y salvo, an advisor's attachment)."""
    return _store(
        data=data,
        kind=kind,
        mime_type=mime_type,
        original_name=filename,
        contact=contact,
        customer=customer,
        ticket=ticket,
    )


def _store(*, data: bytes, kind: str, mime_type: str, original_name: str, **links) -> Document:
    document = Document(
        kind=kind,
        mime_type=mime_type,
        original_name=original_name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **links,
    )
    document.file.save(original_name, ContentFile(data), save=False)
    document.save()
    return document


def documents_link_ticket(*, document_ids: list[int], ticket) -> int:
    """Attach a chat's own uploads (by id) to the ticket opened for them, and to its customer."""
    fields = {"ticket": ticket}
    if ticket.customer_id:
        fields["customer"] = ticket.customer
    return Document.objects.filter(
        pk__in=document_ids, contact=ticket.contact, kind=Document.Kind.UPLOAD, ticket__isnull=True
    ).update(**fields)


def contact_documents_erase(*, contact, ticket_ids) -> tuple[int, list[tuple]]:
    """Delete the rows of a contact's documents (theirs, their messages' and their tickets');
    returns how many, and the (storage, name) of the files to delete once the transaction
    commits (a rollback keeps both)."""
    documents = (
        Document.objects.filter(contact=contact)
        | Document.objects.filter(inbound_message__contact=contact)
        | Document.objects.filter(ticket__in=list(ticket_ids))
    )
    files, count = [], 0
    for document in documents.distinct():
        if document.file:
            files.append((document.file.storage, document.file.name))
        document.delete()
        count += 1
    return count, files


def document_discard(*, document_id: int) -> None:
    """Delete a stored upload nobody asked for after all (its file and its row)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    if document.file:
        document.file.delete(save=False)
    document.delete()
