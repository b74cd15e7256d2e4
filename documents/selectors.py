"""Reads of stored documents for the other apps (they never query the models directly)."""

from __future__ import annotations

from documents.models import Document


def document_filename(*, document_id: int) -> str:
    """The name a document is sent and downloaded under."""
    return Document.objects.values_list("original_name", flat=True).get(pk=document_id)


def contact_documents(*, contact, limit: int = 30) -> list[Document]:
    """The files of one chat (received from the customer, sent by the bot or advisors), newest first."""
    return list(Document.objects.filter(contact=contact).order_by("-created_at", "-id")[:limit])


def document_for_download(*, document_id: int) -> Document | None:
    """The stored document, to hand over through a signed link (the internal API's)."""
    return Document.objects.filter(pk=document_id).first()
