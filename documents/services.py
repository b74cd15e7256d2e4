"""Storing documents: checked by content, hashed, saved privately under a random key."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from contextvars import ContextVar

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F

# DocumentRejected is raised by the content checks and caught by callers as documents.services'.
from documents.content import ALLOWED_TYPES, file_check
from documents.content import DocumentRejected as DocumentRejected
from documents.models import Document

logger = logging.getLogger(__name__)

# The files stored inside the innermost atomic_with_files() block, to delete if it rolls back.
_files_in_block: ContextVar[list | None] = ContextVar("documents_files_in_block", default=None)


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
    """Store a file a customer sent, after checking what it really is.

    The same file sent again by the same contact while their request is still being gathered
    (an upload of theirs not yet attached to a ticket) is not stored twice: the stored one is
    returned, and counts one more sending (document_discard undoes one sending at a time).
    """
    mime_type, data = check_upload_clean(data=data)
    sha256 = hashlib.sha256(data).hexdigest()
    if contact is not None and ticket is None:
        same = _same_upload_pending(contact=contact, sha256=sha256)
        if same is not None:
            return same
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


def _same_upload_pending(*, contact, sha256: str) -> Document | None:
    document = (
        Document.objects.filter(contact=contact, kind=Document.Kind.UPLOAD, sha256=sha256, ticket__isnull=True)
        .order_by("pk")
        .first()
    )
    # Counted in the database: if a discard deleted the row meanwhile, a new copy is stored.
    if document is None or not Document.objects.filter(pk=document.pk).update(times_received=F("times_received") + 1):
        return None
    document.refresh_from_db(fields=["times_received"])
    return document


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
    # The file first, then its row: a row is never committed without its file. A row that
    # fails takes its file with it; a transaction that fails later, see atomic_with_files.
    document.file.save(original_name, ContentFile(data), save=False)
    stored = (document.file.storage, document.file.name)
    try:
        document.save()
    except BaseException:
        _files_delete([stored])
        raise
    block = _files_in_block.get()
    if block is not None:
        block.append(stored)
    return document


@contextlib.contextmanager
def atomic_with_files(using=None):
    """``transaction.atomic()`` that also deletes the files stored in the block (through this
    module) when the block rolls back: Django has on_commit but no on_rollback.

    Files are written when stored, not on commit, so the block (and a test's transaction,
    which never commits) can read them, and no row commits pointing at a file whose write
    failed. An inner block that commits hands its files to the enclosing one, which may
    still roll back. Use it as the outermost transaction of code that stores documents.
    """
    files: list = []
    outer = _files_in_block.get()
    token = _files_in_block.set(files)
    committed = False
    try:
        with transaction.atomic(using=using):
            yield
            # An error caught inside the block without a savepoint makes it roll back on exit
            # without raising.
            doomed = transaction.get_rollback(using=using)
        committed = not doomed
    finally:
        _files_in_block.reset(token)
        if not committed:
            _files_delete(files)
        elif outer is not None:
            outer.extend(files)


def _files_delete(files: list) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("could not delete a stored document's file")


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
    commits (a rollback keeps both).

    A paz y salvo's verification record (code, date, credits) stays: the law requires it and
    it is not conversational data; only its link to the erased file is emptied.
    """
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
    """Undo one sending of a stored upload nobody asked for after all: the file and its row go
    once no other sending of the same file still counts on them."""
    if Document.objects.filter(pk=document_id, times_received__gt=1).update(times_received=F("times_received") - 1):
        return
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    if document.file:
        document.file.delete(save=False)
    document.delete()
