"""A task for a contact whose row is gone (deleted, or queued against another database: a test
run's leftovers in the development broker, met by `make run`'s worker) does nothing and says
so in one line, instead of a traceback and a session row for nobody."""

from __future__ import annotations

import logging

import pytest

from conversations.bot.inbox import contact_inbox_answer
from conversations.messaging.lock import ContactGone, session_lock
from conversations.messaging.outbox import contact_outbox_flush
from conversations.models import Contact, ConversationSession

pytestmark = pytest.mark.django_db

GONE = 987654


def test_no_session_is_locked_for_a_contact_that_does_not_exist():
    with pytest.raises(ContactGone):
        session_lock(GONE)
    assert not ConversationSession.objects.exists()


def test_a_flush_for_a_missing_contact_is_skipped(caplog):
    with caplog.at_level(logging.INFO, logger="conversations.messaging.outbox"):
        result = contact_outbox_flush(contact_id=GONE)
    assert (result.sent, result.retry_in, result.busy) == (0, None, False)
    assert f"contact {GONE} no longer exists" in caplog.text
    assert not ConversationSession.objects.exists()


def test_an_answer_for_a_missing_contact_is_skipped(caplog):
    with caplog.at_level(logging.INFO, logger="conversations.bot.inbox"):
        result = contact_inbox_answer(contact_id=GONE)
    assert (result.processed, result.sent, result.retry_in) == (0, 0, None)
    assert f"contact {GONE} no longer exists" in caplog.text
    assert not ConversationSession.objects.exists()


def test_an_existing_contact_without_a_session_still_gets_one():
    contact = Contact.objects.create(wa_id="573001112233")
    assert session_lock(contact.pk).contact_id == contact.pk
