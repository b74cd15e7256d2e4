"""The same file sent twice for the request a customer is completing is stored once: one row,
one object in storage, counted once by the chat, and discarding one sending keeps the other."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from conversations.models import Contact
from documents.models import Document
from documents.services import document_discard, document_store_upload, documents_link_ticket
from escalations.models import Ticket
from tests.e2e.sample_files import pdf_bytes, png_bytes
from tests.support import texts


@pytest.fixture
def contacts(db):
    return (
        Contact.objects.create(wa_id="573001234567", profile_name="Ana"),
        Contact.objects.create(wa_id="573009876543", profile_name="Carlos"),
    )


def test_the_same_file_from_the_same_contact_is_stored_once(contacts, stored_files):
    ana, _ = contacts
    before = stored_files()
    first = document_store_upload(data=pdf_bytes(), filename="desprendible.pdf", contact=ana)
    again = document_store_upload(data=pdf_bytes(), filename="desprendible (1).pdf", contact=ana)
    assert again.pk == first.pk and again.times_received == 2
    assert Document.objects.count() == 1
    assert stored_files() - before == {first.file.name.rsplit("/", 1)[1]}

    # A different file is another document.
    other = document_store_upload(data=png_bytes(), filename="cedula.png", contact=ana)
    assert other.pk != first.pk


def test_discarding_one_sending_keeps_the_file_the_other_sending_brought(contacts):
    ana, _ = contacts
    first = document_store_upload(data=pdf_bytes(), filename="d.pdf", contact=ana)
    document_store_upload(data=pdf_bytes(), filename="d.pdf", contact=ana)
    document_discard(document_id=first.pk)
    kept = Document.objects.get(pk=first.pk)
    assert kept.times_received == 1 and default_storage.exists(kept.file.name)
    document_discard(document_id=first.pk)
    assert not Document.objects.exists() and not default_storage.exists(kept.file.name)


def test_other_contacts_and_handed_over_requests_get_their_own_copy(contacts):
    ana, carlos = contacts
    anas = document_store_upload(data=pdf_bytes(), filename="d.pdf", contact=ana)
    carlos_copy = document_store_upload(data=pdf_bytes(), filename="d.pdf", contact=carlos)
    assert carlos_copy.pk != anas.pk

    # Once Ana's request reached an advisor (a ticket), a new request keeps its own documents.
    ticket = Ticket.objects.create(contact=ana, reason="renewal")
    documents_link_ticket(document_ids=[anas.pk], ticket=ticket)
    next_request = document_store_upload(data=pdf_bytes(), filename="d.pdf", contact=ana)
    assert next_request.pk != anas.pk
    assert Document.objects.get(pk=anas.pk).times_received == 1


def test_sending_the_same_desprendible_twice_counts_it_once(gloria_sending_documents):
    gloria = gloria_sending_documents
    payslip = pdf_bytes("Desprendible octubre")
    assert "(1 en total)" in texts(gloria.sends_file(payslip, mime_type="application/pdf", filename="oct.pdf"))
    assert "(1 en total)" in texts(gloria.sends_file(payslip, mime_type="application/pdf", filename="oct.pdf"))
    assert Document.objects.count() == 1
    body = texts(gloria.sends_file(pdf_bytes("Desprendible noviembre"), mime_type="application/pdf"))
    assert "(2 en total)" in body

    gloria.taps("docs_done")
    ticket = Ticket.objects.get(reason="renewal")
    assert len(ticket.details["documents"]) == 2
    assert Document.objects.filter(ticket=ticket).count() == 2
