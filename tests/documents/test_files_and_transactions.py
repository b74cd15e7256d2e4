"""A file stored inside a transaction that rolls back does not stay behind in storage with no
row pointing at it (personal data nobody could find, or erase)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.test.signals import template_rendered

from credits.models import Customer
from documents.models import Document, PazYSalvo
from documents.pdf import paz_y_salvo_issue
from documents.services import atomic_with_files, document_store_generated
from tests.e2e.sample_files import pdf_bytes

CARLOS = "79456123"  # every credit cancelled (credits/fixtures/README.md)


def stored(name: str = "carta.pdf") -> Document:
    return document_store_generated(data=pdf_bytes(), kind="advisor", mime_type="application/pdf", filename=name)


def test_a_block_that_fails_takes_its_files_with_it(db):
    with pytest.raises(RuntimeError), atomic_with_files():
        document = stored()
        assert default_storage.exists(document.file.name)  # readable inside the block
        raise RuntimeError("something after the file failed")
    assert not default_storage.exists(document.file.name)
    assert not Document.objects.exists()


def test_a_block_that_commits_keeps_them(db):
    with atomic_with_files():
        document = stored()
    assert default_storage.exists(document.file.name)


def test_an_inner_block_that_commits_still_goes_if_the_outer_one_fails(db):
    with pytest.raises(RuntimeError), atomic_with_files():
        with atomic_with_files():
            document = stored()
        raise RuntimeError
    assert not default_storage.exists(document.file.name)


def test_an_inner_block_that_fails_goes_and_the_outer_one_keeps_its_own(db):
    with atomic_with_files():
        kept = stored("kept.pdf")
        with pytest.raises(RuntimeError), atomic_with_files():
            gone = stored("gone.pdf")
            raise RuntimeError
    assert default_storage.exists(kept.file.name) and not default_storage.exists(gone.file.name)


def test_an_error_caught_inside_the_block_still_rolls_it_back_and_the_files_go(db):
    with atomic_with_files():
        document = stored()
        try:
            Document.objects.create(kind="advisor", mime_type="x", size=0, sha256=None)  # NOT NULL
        except IntegrityError:
            transaction.set_rollback(True)
    assert not default_storage.exists(document.file.name)


def test_a_paz_y_salvo_lost_to_a_concurrent_chat_leaves_no_file(portfolio, stored_files):
    """Two chats of the same customer ask at once: the one that records second rolls back
    and answers with the first one's certificate; its own PDF is not left in storage."""
    carlos = Customer.objects.get(cedula=CARLOS)
    winner = {}

    def other_chat_issues_meanwhile(sender, **kwargs):
        # While this chat renders its PDF (after it found no certificate), the other one
        # issues and records its own.
        template_rendered.disconnect(other_chat_issues_meanwhile)
        winner["certificate"] = paz_y_salvo_issue(customer=carlos)

    before = stored_files()
    template_rendered.connect(other_chat_issues_meanwhile, weak=False)
    try:
        certificate = paz_y_salvo_issue(customer=carlos)
    finally:
        template_rendered.disconnect(other_chat_issues_meanwhile)

    assert certificate.pk == winner["certificate"].pk == PazYSalvo.objects.get().pk
    assert Document.objects.count() == 1
    # Of the two PDFs rendered and stored, only the one the record points at is left.
    assert stored_files() - before == {certificate.document.file.name.rsplit("/", 1)[1]}
